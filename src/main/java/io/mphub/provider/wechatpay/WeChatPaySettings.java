package io.mphub.provider.wechatpay;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.sign.PemKeys;
import io.mphub.sign.WeChatPayV2Signer.SignType;

/**
 * The merchant-level WeChat Pay settings ({@code mphub.wechatpay.*}), shared by the destination kinds and the payment
 * callback. Each item is read once however many of them need it, and every missing, unreadable or invalid one is
 * reported naming the property, its environment variable and the fix; its reader is then empty.
 */
public final class WeChatPaySettings {

    /** A notify_url: WeChat Pay allows no query or fragment in one. */
    private static Setting<URI> notifyUrl(Setting<URI> url) {
        return url.check(WeChatPaySettings::noQuery, "has a query or fragment, which WeChat Pay does not allow in a"
                + " notification URL");
    }

    /** An API v3 notify_url: https, then no query. */
    private static Setting<URI> httpsNotifyUrl(String key) {
        return notifyUrl(Setting.url(key).check(u -> "https".equals(u.getScheme()), "is not an https URL"));
    }

    public static final Setting<String> MCHID = Setting.text("mphub.wechatpay.mchid")
            .check(v -> v.matches("[0-9]{1,32}"), "is not a merchant id")
            .fix("set it to the digits of the 商户号 of the merchant platform")
            .description("The merchant id (商户号), digits.");
    public static final Setting<String> MERCHANT_SERIAL = Setting.text("mphub.wechatpay.merchant-serial")
            .check(v -> v.matches("[0-9A-Fa-f]+"), "is not a certificate serial number (hex digits)")
            .fix("copy the serial from the merchant platform (API安全 → 商户API证书), or run: openssl x509 -noout -serial"
                    + " -in apiclient_cert.pem")
            .description("API v3: serial number of the merchant API certificate (apiclient_cert.pem), hex; it goes into"
                    + " every request's Authorization header.");
    public static final Setting<String> MERCHANT_KEY_FILE = Setting.text("mphub.wechatpay.merchant-key-file")
            .fix("set it to the path of apiclient_key.pem from the WeChat Pay merchant platform")
            .description("API v3: path of the merchant API private key, apiclient_key.pem (PKCS#8). It signs requests"
                    + " and the wx.requestPayment paySign. Keep the file readable by mphub only.");
    public static final Setting<String> PLATFORM_KEYS_DIR = Setting.text("mphub.wechatpay.platform-keys-dir")
            .fix("set it to a directory holding <serial>.pem: the WeChat Pay public key (PUB_KEY_ID_….pem) and/or"
                    + " platform certificates")
            .description("API v3: a directory of WeChat Pay public keys by serial, one <serial>.pem each: the WeChat Pay"
                    + " public key as PUB_KEY_ID_....pem ('PUBLIC KEY') and/or platform certificates as <certificate"
                    + " serial>.pem ('CERTIFICATE'). Answers and callbacks are verified with the key whose name equals"
                    + " their Wechatpay-Serial header; keep the old and the new file while WeChat Pay rotates keys. Read at"
                    + " start-up.");
    public static final Setting<Secret> APIV3_KEY = Setting.secret("mphub.wechatpay.apiv3-key")
            .check(s -> s.value().getBytes(UTF_8).length == 32, WeChatPaySettings::not32Bytes)
            .fix("set MPHUB_WECHATPAY_APIV3_KEY (environment or secrets file only) to the 32-character key set in the"
                    + " merchant platform (API安全 → APIv3密钥)")
            .description("API v3: the APIv3 key (32 characters). Required by wechatpay-v3; when set, the hub also serves"
                    + " /callbacks/wechatpay.");
    public static final Setting<URI> NOTIFY_URL = httpsNotifyUrl("mphub.wechatpay.notify-url")
            .fix("use an absolute https URL without ?query or #fragment, e.g. https://pay.example.com/callbacks/wechatpay")
            .description("API v3: the notify_url of every order: an https URL without query where WeChat Pay posts"
                    + " payment results, normally this hub's https://<public host>/callbacks/wechatpay (behind your TLS"
                    + " terminator). The callback takes only TRANSACTION.SUCCESS; other notification types are refused"
                    + " with 400.");
    public static final Setting<URI> REFUND_NOTIFY_URL = httpsNotifyUrl("mphub.wechatpay.refund-notify-url")
            .fix("use an absolute https URL without ?query or #fragment")
            .description("API v3: the notify_url of refunds (https, no query): the merchant's own refund handler. Not"
                    + " set: the one set in the merchant platform. Never the hub's /callbacks/wechatpay: it refuses refund"
                    + " notifications, and start-up stops if this URL points there.");
    public static final Setting<Secret> V2_API_KEY = Setting.secret("mphub.wechatpay.v2.api-key")
            .check(s -> s.value().getBytes(UTF_8).length == 32, WeChatPaySettings::not32Bytes)
            .fix("set MPHUB_WECHATPAY_V2_API_KEY (environment or secrets file only) to the 32-character key set in the"
                    + " merchant platform (API安全 → API密钥)")
            .description("API v2 (legacy merchants, kind wechatpay-v2): the v2 API key (32 characters).");
    public static final Setting<String> V2_SIGN_TYPE = Setting.oneOf("mphub.wechatpay.v2.sign-type",
                    SignType.HMAC_SHA256.wireName(), SignType.MD5.wireName())
            .defaultValue(SignType.HMAC_SHA256.wireName()).fix("use HMAC-SHA256 (recommended) or MD5")
            .description("API v2: sign_type of orders and of the wx.requestPayment paySign: HMAC-SHA256 or MD5.");
    public static final Setting<URI> V2_NOTIFY_URL = notifyUrl(Setting.url("mphub.wechatpay.v2.notify-url"))
            .fix("use an absolute http(s) URL without ?query or #fragment")
            .description("API v2: notify_url of orders (http or https, no query). WeChat Pay posts v2 results there as"
                    + " XML; the hub does not receive v2 notifications, so point it at the merchant's own v2 handler.");
    public static final Setting<String> V2_CLIENT_IP = Setting.text("mphub.wechatpay.v2.client-ip")
            // An address literal only: nothing here may trigger a DNS lookup.
            .check(v -> v.matches("(\\d{1,3}\\.){3}\\d{1,3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*"), "is not an IP address")
            .fix("set it to this server's public IP address (IPv4 or IPv6), not a host name")
            .description("API v2: spbill_create_ip, required by the unified order; order events carry no user IP, so"
                    + " this server's public IP address is sent.");

    public static final Setting<String> V2_CLIENT_CERTIFICATE = Setting.text("mphub.wechatpay.v2.client-certificate")
            .description("API v2: the merchant's API client certificate, apiclient_cert.p12 as downloaded from the"
                    + " merchant platform (API安全 → API证书). v2 refunds (/secapi/pay/refund) need it: the hub then"
                    + " makes every v2 call over mutual TLS with it. Not set: mp.order.refunded is dead-lettered"
                    + " not_supported.");
    public static final Setting<Secret> V2_CLIENT_CERTIFICATE_PASSWORD = Setting.secret(
                    "mphub.wechatpay.v2.client-certificate-password")
            .description("API v2: the password of apiclient_cert.p12. Not set: the merchant ID, which is what WeChat Pay"
                    + " gives it.");

    public static final List<Setting<?>> ALL = List.of(MCHID, MERCHANT_SERIAL, MERCHANT_KEY_FILE, PLATFORM_KEYS_DIR,
            APIV3_KEY, NOTIFY_URL, REFUND_NOTIFY_URL, V2_API_KEY, V2_SIGN_TYPE, V2_NOTIFY_URL, V2_CLIENT_IP,
            V2_CLIENT_CERTIFICATE, V2_CLIENT_CERTIFICATE_PASSWORD);

    private final Settings.Reader settings;
    private final Supplier<Optional<String>> mchid;
    private final Supplier<Optional<PrivateKey>> merchantKey;
    private final Supplier<Optional<Map<String, PublicKey>>> platformKeys;
    private final Supplier<Optional<Secret>> apiV3Key;

    /** Its length may be shown; the key never is. */
    private static String not32Bytes(Secret key) {
        return "the key must be 32 bytes, but is " + key.value().getBytes(UTF_8).length;
    }

    public WeChatPaySettings(Settings.Reader settings) {
        this.settings = settings;
        this.mchid = once(() -> settings.require(MCHID, "the WeChat Pay merchant id (mchid) is not set"));
        this.merchantKey = once(this::readMerchantKey);
        this.platformKeys = once(this::readPlatformKeys);
        this.apiV3Key = once(() -> settings.require(APIV3_KEY, "the APIv3 key is not set"));
    }

    public Settings.Reader reader() {
        return settings;
    }

    public Optional<String> mchid() {
        return mchid.get();
    }

    /** The merchant API private key, {@code apiclient_key.pem} (PKCS#8), from the file the property names. */
    public Optional<PrivateKey> merchantKey() {
        return merchantKey.get();
    }

    /**
     * The WeChat Pay public key and/or platform certificates by serial: every {@code <serial>.pem} in the directory
     * the property names ({@code PUB_KEY_ID_….pem} for the WeChat Pay public key). Several while keys rotate.
     */
    public Optional<Map<String, PublicKey>> platformKeys() {
        return platformKeys.get();
    }

    /** The APIv3 key: exactly 32 bytes (WeChat Pay uses it as the AES-256 key of callbacks). */
    public Optional<Secret> apiV3Key() {
        return apiV3Key.get();
    }

    private Optional<PrivateKey> readMerchantKey() {
        return settings.require(MERCHANT_KEY_FILE, "the merchant API private key file is not set").flatMap(file -> {
            try {
                return Optional.of(PemKeys.privateKey(Path.of(file)));
            } catch (IOException e) {
                settings.problem(MERCHANT_KEY_FILE, "cannot read '" + file + "': " + e, "make the file readable by mphub");
            } catch (IllegalArgumentException e) {
                settings.problem(MERCHANT_KEY_FILE, "'" + file + "' holds no RSA private key: " + e.getMessage(),
                        "use apiclient_key.pem as downloaded (PKCS#8, '-----BEGIN PRIVATE KEY-----')");
            }
            return Optional.empty();
        });
    }

    private Optional<Map<String, PublicKey>> readPlatformKeys() {
        Optional<String> dir = settings.require(PLATFORM_KEYS_DIR, "the directory of WeChat Pay platform keys is not set");
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(dir.get());
        Map<String, PublicKey> keys = new TreeMap<>();
        Settings.Reader mine = settings.section();
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
                    mine.problem(PLATFORM_KEYS_DIR, "'" + file + "' is not a readable RSA public key or certificate: "
                            + e.getMessage(), "replace it with the PEM from the merchant platform");
                }
            }
        } catch (IOException e) {
            mine.problem(PLATFORM_KEYS_DIR, "cannot list '" + path + "': " + e,
                    "create the directory and make it readable by mphub");
            return Optional.empty();
        }
        if (keys.isEmpty() && mine.ok()) {
            mine.problem(PLATFORM_KEYS_DIR, "'" + path + "' holds no <serial>.pem file", "put the WeChat Pay public key"
                    + " there as PUB_KEY_ID_….pem, or platform certificates as <serial>.pem");
        }
        return mine.ok() ? Optional.of(Map.copyOf(keys)) : Optional.empty();
    }

    private static boolean noQuery(URI url) {
        return url.getRawQuery() == null && url.getRawFragment() == null;
    }

    private static <T> Supplier<T> once(Supplier<T> read) {
        return new Supplier<>() {
            private T value;
            private boolean done;

            @Override
            public T get() {
                if (!done) {
                    value = read.get();
                    done = true;
                }
                return value;
            }
        };
    }
}
