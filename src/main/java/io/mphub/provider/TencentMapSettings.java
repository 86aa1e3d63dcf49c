package io.mphub.provider;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.mphub.config.AllowedHosts;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Secret;
import io.mphub.config.Settings;

/**
 * The reverse-geocoding settings ({@code mphub.tencentmap.*}), read and checked at start-up. Without a key,
 * reverse geocoding is off; with a key, everything it needs must be right, or the hub does not start.
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

    public static final String PREFIX = "mphub.tencentmap.";
    public static final String DEFAULT_URL = "https://apis.map.qq.com";
    public static final String PROVIDER = "Tencent Location Service";
    static final long MAX_TIMEOUT_MS = 10_000;

    /**
     * @return empty when {@code mphub.tencentmap.key} is not set (reverse geocoding off) or a problem was found
     *         (added to {@code problems})
     */
    public static Optional<TencentMapSettings> read(Settings s, AllowedHosts allowed, List<Problem> problems) {
        Optional<String> key = s.get(PREFIX + "key");
        if (key.isEmpty()) {
            return Optional.empty();
        }
        int before = problems.size();
        Optional<String> sk = s.get(PREFIX + "sk");
        if (sk.isEmpty()) {
            problems.add(Problem.setting(PREFIX + "sk", "mphub.tencentmap.key is set, but not the key's secret key"
                    + " (SK), and every request must be signed", "set MPHUB_TENCENTMAP_SK (environment or secrets file,"
                    + " never routes/) to the SK of the key's WebServiceAPI signature check (签名校验) in the Tencent"
                    + " Location Service console, or unset MPHUB_TENCENTMAP_KEY to turn reverse geocoding off"));
        }
        URI url = url(s.get(PREFIX + "url", DEFAULT_URL), allowed, problems);
        long timeoutMs = s.getLong(PREFIX + "timeout-ms", 800);
        if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
            problems.add(Problem.setting(PREFIX + "timeout-ms", "the timeout must be from 1 to " + MAX_TIMEOUT_MS
                    + " ms: each call can hold ingest that long", "set it to e.g. 800"));
        }
        long maxEntries = s.getLong(PREFIX + "cache.max-entries", 50_000);
        if (maxEntries < 1) {
            problems.add(Problem.setting(PREFIX + "cache.max-entries", "the cache must hold at least one cell",
                    "set it to e.g. 50000 (about 200 bytes each)"));
        }
        long ttlMs = s.getLong(PREFIX + "cache.ttl-ms", 86_400_000);
        if (ttlMs < 1) {
            problems.add(Problem.setting(PREFIX + "cache.ttl-ms", "the time to keep an address must be above 0",
                    "set it to e.g. 86400000 (a day)"));
        }
        int decimals = s.getInt(PREFIX + "cache.decimals", 4);
        if (decimals < 1 || decimals > 6) {
            problems.add(Problem.setting(PREFIX + "cache.decimals", "coordinates are rounded to 1 to 6 decimal places",
                    "set it to e.g. 4 (about 11 m)"));
        }
        long pauseMs = s.getLong(PREFIX + "pause-ms", 30_000);
        if (pauseMs < 1) {
            problems.add(Problem.setting(PREFIX + "pause-ms", "the pause must be above 0", "set it to e.g. 30000"));
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new TencentMapSettings(url, new Secret(key.get()), new Secret(sk.get()),
                Duration.ofMillis(timeoutMs), maxEntries, Duration.ofMillis(ttlMs), decimals, Duration.ofMillis(pauseMs)));
    }

    private static URI url(String raw, AllowedHosts allowed, List<Problem> problems) {
        String key = PREFIX + "url";
        try {
            URI url = new URI(raw);
            if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme()) || url.getHost() == null) {
                problems.add(Problem.setting(key, "the value is not an http(s) URL", "use " + DEFAULT_URL));
                return null;
            }
            boolean bare = (url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/"))
                    && url.getRawQuery() == null && url.getRawFragment() == null && url.getRawUserInfo() == null;
            if (!bare) {
                problems.add(Problem.setting(key, "the URL must be scheme, host and port only: the signature covers"
                        + " the exact path " + TencentGeocoder.PATH, "use e.g. " + DEFAULT_URL));
                return null;
            }
            if (!allowed.permits(url.getHost())) {
                problems.add(Problem.setting(key, "host '" + url.getHost() + "' is not on mphub.security.allowed-hosts",
                        "add it to MPHUB_SECURITY_ALLOWED_HOSTS if the hub is meant to call it"));
                return null;
            }
            return url;
        } catch (URISyntaxException e) {
            problems.add(Problem.setting(key, "the value is not a URL: " + e.getReason(), "use " + DEFAULT_URL));
            return null;
        }
    }
}
