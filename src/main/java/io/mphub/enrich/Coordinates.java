package io.mphub.enrich;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A point an event carries in {@code data.location} ({@code latitude}, {@code longitude}; GCJ-02 in WeChat's
 * mini programs). Any event type may carry one: the enricher looks at the path, not at the type.
 */
public record Coordinates(double latitude, double longitude) {

    /** The event's {@code data.location}, when it holds two numbers within ±90 and ±180. */
    public static Optional<Coordinates> of(JsonNode event) {
        JsonNode location = event.path("data").path("location");
        JsonNode latitude = location.path("latitude");
        JsonNode longitude = location.path("longitude");
        if (!latitude.isNumber() || !longitude.isNumber()) {
            return Optional.empty();
        }
        double lat = latitude.doubleValue();
        double lng = longitude.doubleValue();
        // also false for NaN
        if (!(Math.abs(lat) <= 90) || !(Math.abs(lng) <= 180)) {
            return Optional.empty();
        }
        return Optional.of(new Coordinates(lat, lng));
    }

    /**
     * The grid cell of this point: both coordinates rounded half-up to {@code decimals} places, as written in
     * decimal (so 39.90425 becomes 39.9043, not the 39.9042 that binary rounding would give). Four places are
     * about 11 m of latitude.
     */
    public Cell cell(int decimals) {
        return new Cell(round(latitude, decimals) + "," + round(longitude, decimals));
    }

    private static String round(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }

    /**
     * A grid cell, written as the provider's {@code location} parameter: {@code lat,lng}. It is the cache key, and
     * the point the provider is asked about, so every event in one cell gets the same answer from one call (and
     * the provider never learns a position finer than the cell).
     */
    public record Cell(String location) {

        /** The same point as {@code lng,lat}, for a provider that takes longitude first (AMap). */
        public String longitudeFirst() {
            int comma = location.indexOf(',');
            return location.substring(comma + 1) + "," + location.substring(0, comma);
        }
    }
}
