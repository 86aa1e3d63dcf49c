package io.mphub.provider.tencentmap;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.mphub.config.AllowedHosts;
import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;

/**
 * Reverse geocoding with Tencent Location Service ({@code mphub.tencentmap.*}), read and checked at start-up. Without
 * a key, reverse geocoding is off; with a key, everything it needs must be right, or the hub does not start.
 *
 * @param url        scheme, host and port of the service (no path: the signature covers the exact path)
 * @param key        the key (not a secret to Tencent, but kept out of logs all the same)
 * @param sk         the key's secret key, which signs every request
 * @param timeout    the longest one call may hold ingest
 * @param maxEntries grid cells the cache keeps
 * @param ttl        how long a cell's answer is kept
 * @param decimals   places the coordinates are rounded to: the grid of the cache and of the requests
 * @param pause      how long calls stop once the service keeps failing, before one call probes it
 */
public record TencentMapSettings(URI url, Secret key, Secret sk, Duration timeout, long maxEntries, Duration ttl,
        int decimals, Duration pause) {

    public static final String PROVIDER = "Tencent Location Service";
    static final String DEFAULT_URL = "https://apis.map.qq.com";

    public static final Setting<Secret> KEY = Setting.secret("mphub.tencentmap.key")
            .description("The key of the Tencent Location Service console. Not set: reverse geocoding is off (no calls,"
                    + " no attributes). It goes in every request, so it is kept out of routes/ like a secret.");
    public static final Setting<Secret> SK = Setting.secret("mphub.tencentmap.sk")
            .fix("set MPHUB_TENCENTMAP_SK (environment or secrets file, never routes/) to the SK of the key's"
                    + " WebServiceAPI signature check (签名校验) in the Tencent Location Service console, or unset"
                    + " MPHUB_TENCENTMAP_KEY to turn reverse geocoding off")
            .description("The key's secret key (SK) of the WebServiceAPI signature check (签名校验), which signs every"
                    + " request. Required with a key.");
    public static final Setting<URI> URL = Setting.url("mphub.tencentmap.url").defaultValue(URI.create(DEFAULT_URL))
            .check(TencentMapSettings::bare, "is not scheme, host and port only: the signature covers the exact path "
                    + TencentMapGeocoder.PATH)
            .fix("use e.g. " + DEFAULT_URL)
            .description("Scheme, host and port of the service (no path): a sandbox is one URL away. Its host must be on"
                    + " mphub.security.allowed-hosts.");
    public static final Setting<Duration> TIMEOUT = Setting.millis("mphub.tencentmap.timeout-ms")
            .defaultValue(Duration.ofMillis(800)).range(Duration.ofMillis(1), Duration.ofMillis(10_000))
            .fix("set it to e.g. 800")
            .description("The longest one call may hold ingest, 1 to 10000 ms. Past it, the event goes on marked"
                    + " mphubgeo=timeout.");
    public static final Setting<Integer> DECIMALS = Setting.integer("mphub.tencentmap.cache.decimals").defaultValue(4)
            .range(1, 6).fix("set it to e.g. 4 (about 11 m)")
            .description("Answers are cached by grid cell: the coordinates rounded half-up to this many decimal places"
                    + " (1 to 6; 4 is about 11 m, 3 about 110 m). Tencent is asked about the rounded point, so every event"
                    + " in a cell gets the same address from one call.");
    public static final Setting<Long> MAX_ENTRIES = Setting.longNumber("mphub.tencentmap.cache.max-entries")
            .defaultValue(50_000L).range(1L, Long.MAX_VALUE).fix("set it to e.g. 50000 (about 200 bytes each)")
            .description("Grid cells the cache keeps (about 200 bytes each).");
    public static final Setting<Duration> TTL = Setting.millis("mphub.tencentmap.cache.ttl-ms")
            .defaultValue(Duration.ofDays(1)).check(d -> !d.isZero(), "must be above 0")
            .fix("set it to e.g. 86400000 (a day)")
            .description("How long an address is kept after it was fetched.");
    public static final Setting<Duration> PAUSE = Setting.millis("mphub.tencentmap.pause-ms")
            .defaultValue(Duration.ofSeconds(30)).check(d -> !d.isZero(), "must be above 0")
            .fix("set it to e.g. 30000")
            .description("When calls keep failing (half of the last 10, at least 3: timeouts, errors, refused key), no"
                    + " calls for this long; then one call probes the service, and its success resumes them. Quota"
                    + " answers stop the calls until the quota's own window ends instead (120: the next second; 121:"
                    + " midnight in Beijing).");

    public static final List<Setting<?>> ALL = List.of(KEY, SK, URL, TIMEOUT, DECIMALS, MAX_ENTRIES, TTL, PAUSE);

    /**
     * @return empty when {@code mphub.tencentmap.key} is not set (reverse geocoding off) or a problem was found
     *         (added to the reader)
     */
    public static Optional<TencentMapSettings> read(Settings.Reader settings, AllowedHosts allowed) {
        if (!settings.isSet(KEY)) {
            return Optional.empty();
        }
        Settings.Reader mine = settings.section();
        Optional<Secret> key = mine.optional(KEY);
        Optional<Secret> sk = mine.require(SK, "mphub.tencentmap.key is set, but not the key's secret key (SK), and"
                + " every request must be signed");
        Optional<URI> url = allowed.url(mine, URL);
        Duration timeout = mine.get(TIMEOUT);
        long maxEntries = mine.get(MAX_ENTRIES);
        Duration ttl = mine.get(TTL);
        int decimals = mine.get(DECIMALS);
        Duration pause = mine.get(PAUSE);
        if (!mine.ok()) {
            return Optional.empty();
        }
        return Optional.of(new TencentMapSettings(url.orElseThrow(), key.orElseThrow(), sk.orElseThrow(), timeout,
                maxEntries, ttl, decimals, pause));
    }

    private static boolean bare(URI url) {
        return (url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/"))
                && url.getRawQuery() == null && url.getRawFragment() == null && url.getRawUserInfo() == null;
    }
}
