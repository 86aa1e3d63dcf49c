package io.mphub.provider.tencentmap;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.mphub.config.AllowedHosts;
import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.enrich.GeocoderTuning;
import io.mphub.enrich.ReverseGeocoding;

/**
 * Reverse geocoding with Tencent Location Service ({@code mphub.tencentmap.*}), read and checked at start-up. Without
 * a key, reverse geocoding is off; with a key, everything it needs must be right, or the hub does not start.
 *
 * @param url        scheme, host and port of the service (no path: the signature covers the exact path)
 * @param key        the key (not a secret to Tencent, but kept out of logs all the same)
 * @param sk         the key's secret key, which signs every request
 */
public record TencentMapSettings(URI url, Secret key, Secret sk, GeocoderTuning tuning) {

    public static final String PROVIDER = "Tencent Location Service";
    static final String DEFAULT_URL = "https://apis.map.qq.com";
    /** The path as signed; Tencent checks the signature against the path requested, so it is exactly this. */
    static final String PATH = "/ws/geocoder/v1";

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
                    + PATH)
            .fix("use e.g. " + DEFAULT_URL)
            .description("Scheme, host and port of the service (no path): a sandbox is one URL away. Its host must be on"
                    + " mphub.security.allowed-hosts.");
    public static final GeocoderTuning.Keys TUNING = GeocoderTuning.keys("mphub.tencentmap", "Tencent",
            "(120: the next second; 121: midnight in Beijing)");
    public static final List<Setting<?>> ALL = Stream.concat(Stream.of(KEY, SK, URL), TUNING.all().stream()).toList();

    /**
     * @return empty when another provider is chosen ({@link ReverseGeocoding#PROVIDER}), {@code mphub.tencentmap.key}
     *         is not set (reverse geocoding off) or a problem was found (added to the reader)
     */
    public static Optional<TencentMapSettings> read(Settings.Reader settings, AllowedHosts allowed) {
        if (!ReverseGeocoding.chosen(settings, "tencentmap", KEY) || !settings.isSet(KEY)) {
            return Optional.empty();
        }
        Settings.Reader mine = settings.section();
        Optional<Secret> key = mine.optional(KEY);
        Optional<Secret> sk = mine.require(SK, "mphub.tencentmap.key is set, but not the key's secret key (SK), and"
                + " every request must be signed");
        Optional<URI> url = allowed.url(mine, URL);
        GeocoderTuning tuning = TUNING.read(mine);
        if (!mine.ok()) {
            return Optional.empty();
        }
        return Optional.of(new TencentMapSettings(url.orElseThrow(), key.orElseThrow(), sk.orElseThrow(), tuning));
    }

    private static boolean bare(URI url) {
        return (url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/"))
                && url.getRawQuery() == null && url.getRawFragment() == null && url.getRawUserInfo() == null;
    }
}
