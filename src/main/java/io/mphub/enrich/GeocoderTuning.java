package io.mphub.enrich;

import java.time.Duration;
import java.util.List;

import io.mphub.config.Setting;
import io.mphub.config.Settings;

/**
 * How the hub calls a reverse-geocoding provider, whichever it is: each provider has these settings under its own
 * prefix ({@code mphub.tencentmap.*}, {@code mphub.amap.*}), declared once here.
 *
 * @param timeout    the longest one call may hold ingest
 * @param maxEntries grid cells the cache keeps
 * @param ttl        how long a cell's answer is kept
 * @param decimals   places the coordinates are rounded to: the grid of the cache and of the requests
 * @param pause      how long calls stop once the service keeps failing, before one call probes it
 */
public record GeocoderTuning(Duration timeout, long maxEntries, Duration ttl, int decimals, Duration pause) {

    /** The settings of one provider. */
    public record Keys(Setting<Duration> timeout, Setting<Integer> decimals, Setting<Long> maxEntries,
            Setting<Duration> ttl, Setting<Duration> pause) {

        public List<Setting<?>> all() {
            return List.of(timeout, decimals, maxEntries, ttl, pause);
        }

        /** Every value, each checked (problems go to the reader; its caller asks {@code ok()}). */
        public GeocoderTuning read(Settings.Reader settings) {
            return new GeocoderTuning(settings.get(timeout), settings.get(maxEntries), settings.get(ttl),
                    settings.get(decimals), settings.get(pause));
        }
    }

    /**
     * @param prefix   e.g. {@code mphub.amap}
     * @param provider the provider as the descriptions name it, e.g. "AMap"
     * @param quotas   when a quota answer lets calls go again, e.g. "(120: the next second; 121: midnight in Beijing)"
     */
    public static Keys keys(String prefix, String provider, String quotas) {
        return new Keys(
                Setting.millis(prefix + ".timeout-ms").defaultValue(Duration.ofMillis(800))
                        .range(Duration.ofMillis(1), Duration.ofMillis(10_000)).fix("set it to e.g. 800")
                        .description("The longest one call may hold ingest, 1 to 10000 ms. Past it, the event goes on"
                                + " marked mphubgeo=timeout."),
                Setting.integer(prefix + ".cache.decimals").defaultValue(4).range(1, 6)
                        .fix("set it to e.g. 4 (about 11 m)")
                        .description("Answers are cached by grid cell: the coordinates rounded half-up to this many"
                                + " decimal places (1 to 6; 4 is about 11 m, 3 about 110 m). " + provider + " is asked"
                                + " about the rounded point, so every event in a cell gets the same address from one"
                                + " call."),
                Setting.longNumber(prefix + ".cache.max-entries").defaultValue(50_000L).range(1L, Long.MAX_VALUE)
                        .fix("set it to e.g. 50000 (about 200 bytes each)")
                        .description("Grid cells the cache keeps (about 200 bytes each)."),
                Setting.millis(prefix + ".cache.ttl-ms").defaultValue(Duration.ofDays(1))
                        .check(d -> !d.isZero(), "must be above 0").fix("set it to e.g. 86400000 (a day)")
                        .description("How long an address is kept after it was fetched."),
                Setting.millis(prefix + ".pause-ms").defaultValue(Duration.ofSeconds(30))
                        .check(d -> !d.isZero(), "must be above 0").fix("set it to e.g. 30000")
                        .description("When calls keep failing (half of the last 10, at least 3: timeouts, errors,"
                                + " refused key), no calls for this long; then one call probes the service, and its"
                                + " success resumes them. Quota answers stop the calls until the quota's own window"
                                + " ends instead " + quotas + "."));
    }
}
