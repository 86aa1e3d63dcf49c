package io.mphub.provider.wechatpay;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Secret;
import io.mphub.config.Settings;
import io.mphub.sign.PemKeys;

/**
 * Reads the merchant-level WeChat Pay settings ({@code mphub.wechatpay.*}), shared by the destination kinds and the
 * payment callback, and reports every missing, unreadable or invalid item as a {@link Problem} naming the property,
 * its environment variable and the fix. Each reader returns empty when its item has a problem.
 */
public final class WeChatPaySettings {

    public static final String MCHID = "mphub.wechatpay.mchid";
    public static final String MERCHANT_SERIAL = "mphub.wechatpay.merchant-serial";
    public static final String MERCHANT_KEY_FILE = "mphub.wechatpay.merchant-key-file";
    public static final String PLATFORM_KEYS_DIR = "mphub.wechatpay.platform-keys-dir";
    public static final String APIV3_KEY = "mphub.wechatpay.apiv3-key";
    public static final String NOTIFY_URL = "mphub.wechatpay.notify-url";
    public static final String REFUND_NOTIFY_URL = "mphub.wechatpay.refund-notify-url";
    public static final String V2_API_KEY = "mphub.wechatpay.v2.api-key";
    public static final String V2_SIGN_TYPE = "mphub.wechatpay.v2.sign-type";
    public static final String V2_NOTIFY_URL = "mphub.wechatpay.v2.notify-url";
    public static final String V2_CLIENT_IP = "mphub.wechatpay.v2.client-ip";

    private final Settings settings;
    private final List<Problem> problems;

    /** @param problems where every problem found is added */
    public WeChatPaySettings(Settings settings, List<Problem> problems) {
        this.settings = settings;
        this.problems = problems;
    }

    /** A plain required value, such as the {@code mchid}. */
    public Optional<String> required(String key, String what, String fix) {
        Optional<String> value = settings.get(key);
        if (value.isEmpty()) {
            problems.add(Problem.setting(key, what + " is not set", fix));
        }
        return value;
    }

    /** The merchant API private key, {@code apiclient_key.pem} (PKCS#8), from the file the property names. */
    public Optional<PrivateKey> merchantKey() {
        return required(MERCHANT_KEY_FILE, "the merchant API private key file",
                "set it to the path of apiclient_key.pem from the WeChat Pay merchant platform").flatMap(file -> {
                    try {
                        return Optional.of(PemKeys.privateKey(Path.of(file)));
                    } catch (IOException e) {
                        problems.add(Problem.setting(MERCHANT_KEY_FILE, "cannot read '" + file + "': " + e,
                                "make the file readable by mphub"));
                    } catch (IllegalArgumentException e) {
                        problems.add(Problem.setting(MERCHANT_KEY_FILE, "'" + file + "' holds no RSA private key: "
                                + e.getMessage(), "use apiclient_key.pem as downloaded (PKCS#8, '-----BEGIN PRIVATE KEY-----')"));
                    }
                    return Optional.empty();
                });
    }

    /**
     * The WeChat Pay public key and/or platform certificates by serial: every {@code <serial>.pem} in the directory
     * the property names ({@code PUB_KEY_ID_….pem} for the WeChat Pay public key). Several while keys rotate.
     */
    public Optional<Map<String, PublicKey>> platformKeys() {
        Optional<String> dir = required(PLATFORM_KEYS_DIR, "the directory of WeChat Pay platform keys",
                "set it to a directory holding <serial>.pem: the WeChat Pay public key (PUB_KEY_ID_….pem) "
                        + "and/or platform certificates");
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(dir.get());
        Map<String, PublicKey> keys = new TreeMap<>();
        int before = problems.size();
        try (Stream<Path> files = Files.list(path)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".pem")).sorted().toList()) {
                String name = file.getFileName().toString();
                String serial = name.substring(0, name.length() - ".pem".length());
                try {
                    PublicKey key = PemKeys.publicKey(file);
                    if (!(key instanceof RSAPublicKey)) {
                        throw new IllegalArgumentException("the key is " + key.getAlgorithm() + ", not RSA");
                    }
                    keys.put(serial, key);
                } catch (IOException | IllegalArgumentException e) {
                    problems.add(Problem.setting(PLATFORM_KEYS_DIR, "'" + file + "' is not a readable RSA public key"
                            + " or certificate: " + e.getMessage(), "replace it with the PEM from the merchant platform"));
                }
            }
        } catch (IOException e) {
            problems.add(Problem.setting(PLATFORM_KEYS_DIR, "cannot list '" + path + "': " + e,
                    "create the directory and make it readable by mphub"));
            return Optional.empty();
        }
        if (keys.isEmpty() && problems.size() == before) {
            problems.add(Problem.setting(PLATFORM_KEYS_DIR, "'" + path + "' holds no <serial>.pem file",
                    "put the WeChat Pay public key there as PUB_KEY_ID_….pem, or platform certificates as <serial>.pem"));
        }
        return problems.size() == before ? Optional.of(Map.copyOf(keys)) : Optional.empty();
    }

    /** The APIv3 key: exactly 32 bytes (WeChat Pay uses it as the AES-256 key of callbacks). */
    public Optional<Secret> apiV3Key() {
        return secretOf32Bytes(APIV3_KEY, "the APIv3 key", "set in the merchant platform (API安全 → APIv3密钥)");
    }

    /** The v2 API key of legacy merchants: 32 characters. */
    public Optional<Secret> v2ApiKey() {
        return secretOf32Bytes(V2_API_KEY, "the v2 API key", "set in the merchant platform (API安全 → API密钥)");
    }

    private Optional<Secret> secretOf32Bytes(String key, String what, String where) {
        Optional<String> value = required(key, what, "set " + Settings.envName(key) + " (environment or secrets file "
                + "only) to the 32-character key " + where);
        if (value.isPresent() && value.get().getBytes(UTF_8).length != 32) {
            // Never the value itself: only its length.
            problems.add(Problem.setting(key, what + " must be 32 bytes, but is " + value.get().getBytes(UTF_8).length,
                    "copy the whole key " + where));
            return Optional.empty();
        }
        return value.map(Secret::new);
    }

    /**
     * A notification URL WeChat Pay will call: absolute, without a query (WeChat Pay: "不允许携带查询串"), and https
     * when {@code httpsOnly} (v3).
     */
    public Optional<URI> notifyUrl(String key, boolean required, boolean httpsOnly) {
        Optional<String> raw = required
                ? required(key, "the payment notification URL", "set it to the https URL WeChat Pay calls, e.g. "
                        + "https://pay.example.com/callbacks/wechatpay")
                : settings.get(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String fix = "use an absolute " + (httpsOnly ? "https" : "http(s)") + " URL without ?query or #fragment";
        try {
            URI url = new URI(raw.get());
            boolean schemeOk = "https".equals(url.getScheme()) || !httpsOnly && "http".equals(url.getScheme());
            if (!schemeOk || url.getHost() == null) {
                problems.add(Problem.setting(key, "'" + raw.get() + "' is not an absolute "
                        + (httpsOnly ? "https" : "http(s)") + " URL", fix));
                return Optional.empty();
            }
            if (url.getRawQuery() != null || url.getRawFragment() != null) {
                problems.add(Problem.setting(key, "'" + raw.get() + "' has a query or fragment, which WeChat Pay "
                        + "does not allow in a notification URL", fix));
                return Optional.empty();
            }
            return Optional.of(url);
        } catch (URISyntaxException e) {
            problems.add(Problem.setting(key, "'" + raw.get() + "' is not a URL: " + e.getReason(), fix));
            return Optional.empty();
        }
    }

    public Settings settings() {
        return settings;
    }

    public List<Problem> problems() {
        return problems;
    }
}
