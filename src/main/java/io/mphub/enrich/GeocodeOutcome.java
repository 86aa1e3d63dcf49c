package io.mphub.enrich;

import java.util.Locale;

/**
 * How reverse geocoding went for one event. Its lower-case name is the {@code mphubgeo} attribute (a contract:
 * see docs/events.md, "Attributes the hub adds") and the {@code outcome} tag of metric {@code mphub.enrich.geocode}.
 */
public enum GeocodeOutcome {

    /** The provider found an address: {@code mphubaddress} (and {@code mphubadcode}) are set. */
    OK(false),
    /** The provider has no address for the point (e.g. out at sea). Cached like an address. */
    NOT_FOUND(false),
    /** The provider refused the request for this point (its parameters), not the key. */
    REJECTED(false),
    /** The key's quota is used up: no calls until its window passes. */
    OVER_QUOTA(false),
    /** No answer within the timeout, or calls paused after repeated timeouts. */
    TIMEOUT(true),
    /** The provider could not be reached or answered with an error, or calls paused after repeated failures. */
    UNAVAILABLE(true),
    /** The provider refused the key or signature: the hub's configuration (or the key's console settings) is wrong. */
    MISCONFIGURED(true);

    private final boolean providerFailure;
    private final String marker = name().toLowerCase(Locale.ROOT);

    GeocodeOutcome(boolean providerFailure) {
        this.providerFailure = providerFailure;
    }

    /** The value of the {@code mphubgeo} attribute. */
    public String marker() {
        return marker;
    }

    /** Whether it counts against the provider: enough of these in a row stop the calls for a while. */
    public boolean providerFailure() {
        return providerFailure;
    }
}
