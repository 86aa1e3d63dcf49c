package io.mphub.enrich;

import java.time.Instant;

/**
 * The answer about one grid cell.
 *
 * @param outcome    how it went
 * @param address    the address, when {@code outcome} is {@link GeoOutcome#OK}
 * @param adcode     the administrative division code (six digits), when the provider gave one
 * @param detail     what exactly happened, for the log (never a credential)
 * @param quotaUntil when {@code outcome} is {@link GeoOutcome#OVER_QUOTA}: when the quota window ends, or null
 *                   when the provider does not say
 */
public record Geocode(GeoOutcome outcome, String address, String adcode, String detail, Instant quotaUntil) {

    public static Geocode found(String address, String adcode) {
        return new Geocode(GeoOutcome.OK, address, adcode, "ok", null);
    }

    public static Geocode notFound(String detail) {
        return new Geocode(GeoOutcome.NOT_FOUND, null, null, detail, null);
    }

    public static Geocode failed(GeoOutcome outcome, String detail) {
        return new Geocode(outcome, null, null, detail, null);
    }

    public static Geocode overQuota(String detail, Instant until) {
        return new Geocode(GeoOutcome.OVER_QUOTA, null, null, detail, until);
    }

    /** Only what the provider said about the point itself is kept: failures say nothing about the point. */
    public boolean cacheable() {
        return outcome == GeoOutcome.OK || outcome == GeoOutcome.NOT_FOUND;
    }
}
