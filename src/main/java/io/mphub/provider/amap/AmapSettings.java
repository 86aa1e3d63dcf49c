package io.mphub.provider.amap;

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
 * Reverse geocoding with AMap (高德, {@code mphub.amap.*}), read and checked at start-up when
 * {@code mphub.geocoding.provider} is {@code amap}: then the key and its private key are required.
 *
 * @param url        the web service's base URL (a proxy's path prefix is kept)
 * @param key        the web service key (not a secret to AMap, but kept out of logs all the same)
 * @param privateKey the key's private key (私钥) of the digital signature, which signs every request
 */
public record AmapSettings(URI url, Secret key, Secret privateKey, GeocoderTuning tuning) {

    public static final String PROVIDER = "AMap";
    static final String DEFAULT_URL = "https://restapi.amap.com";

    public static final Setting<Secret> KEY = Setting.secret("mphub.amap.key")
            .fix("set MPHUB_AMAP_KEY (environment or secrets file) to a key of the AMap console whose service platform is"
                    + " Web服务 (web service), or set MPHUB_GEOCODING_PROVIDER=tencentmap")
            .description("The web service key (Web服务) of the AMap console. Required when mphub.geocoding.provider is"
                    + " amap. It goes in every request, so it is kept out of routes/ like a secret.");
    public static final Setting<Secret> PRIVATE_KEY = Setting.secret("mphub.amap.private-key")
            .fix("turn on the key's digital signature (数字签名) in the AMap console and set MPHUB_AMAP_PRIVATE_KEY"
                    + " (environment or secrets file, never routes/) to the private key (私钥) it shows")
            .description("The key's private key (私钥) of the digital signature (数字签名), which signs every request."
                    + " Required with the key.");
    public static final Setting<URI> URL = Setting.url("mphub.amap.url").defaultValue(URI.create(DEFAULT_URL))
            .fix("use e.g. " + DEFAULT_URL)
            .description("The web service's base URL: a sandbox is one URL away. Its host must be on"
                    + " mphub.security.allowed-hosts.");
    public static final GeocoderTuning.Keys TUNING = GeocoderTuning.keys("mphub.amap", PROVIDER,
            "(10004: the next minute; 10014, 10015, 10019 to 10021: the next second; 10003, 10029, 10044, 10045:"
                    + " midnight in Beijing)");

    public static final List<Setting<?>> ALL = Stream.concat(Stream.of(KEY, PRIVATE_KEY, URL), TUNING.all().stream())
            .toList();

    /**
     * @return empty when another provider is chosen ({@link ReverseGeocoding#PROVIDER}) or a problem was found (added
     *         to the reader)
     */
    public static Optional<AmapSettings> read(Settings.Reader settings, AllowedHosts allowed) {
        // Tencent Location Service's settings report a wrong mphub.geocoding.provider: this reads it leniently.
        if (!ReverseGeocoding.chosen(settings.lenient(), "amap", KEY)) {
            return Optional.empty();
        }
        Settings.Reader mine = settings.section();
        Optional<Secret> key = mine.require(KEY, "mphub.geocoding.provider is amap, but no AMap key is set");
        Optional<Secret> privateKey = mine.require(PRIVATE_KEY, "mphub.geocoding.provider is amap, but not the key's"
                + " private key, and every request must be signed");
        Optional<URI> url = allowed.url(mine, URL);
        GeocoderTuning tuning = TUNING.read(mine);
        if (!mine.ok()) {
            return Optional.empty();
        }
        return Optional.of(new AmapSettings(url.orElseThrow(), key.orElseThrow(), privateKey.orElseThrow(), tuning));
    }
}
