package io.mphub.enrich;

import java.time.Instant;

/**
 * The answer about one grid cell.
 *
 * @param outcome    how it went
 * @param address    the address, when {@code outcome} is {@link GeocodeOutcome#OK}
 * @param adcode     the administrative division code (six digits), when the provider gave one
 * @param detail     what exactly happened, for the log (never a credential)
 * @param quotaUntil when {@code outcome} is {@link GeocodeOutcome#OVER_QUOTA}: when the quota window ends, or null
 *                   when the provider does not say
 */
public record GeocodeResult(GeocodeOutcome outcome, String address, String adcode, String detail, Instant quotaUntil) {

    public static GeocodeResult found(String address, String adcode) {
        return new GeocodeResult(GeocodeOutcome.OK, address, adcode, "ok", null);
    }

    public static GeocodeResult notFound(String detail) {
        return new GeocodeResult(GeocodeOutcome.NOT_FOUND, null, null, detail, null);
    }

    public static GeocodeResult failed(GeocodeOutcome outcome, String detail) {
        return new GeocodeResult(outcome, null, null, detail, null);
    }

    public static GeocodeResult overQuota(String detail, Instant until) {
        return new GeocodeResult(GeocodeOutcome.OVER_QUOTA, null, null, detail, until);
    }

    /** Only what the provider said about the point itself is kept: failures say nothing about the point. */
    public boolean cacheable() {
        return outcome == GeocodeOutcome.OK || outcome == GeocodeOutcome.NOT_FOUND;
    }
}
