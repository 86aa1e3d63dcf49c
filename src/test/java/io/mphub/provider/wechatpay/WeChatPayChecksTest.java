package io.mphub.provider.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.boot.HubConfiguration;
import io.mphub.callback.Callback;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.ConfigurationException;
import io.mphub.config.RouteFiles;
import io.mphub.config.Settings;
import io.mphub.deliver.Destination;
import io.mphub.deliver.RetryPolicy;
import io.mphub.privacy.DataContract;
import io.mphub.provider.Provider;
import io.mphub.provider.ProviderContext;
import io.mphub.testing.PrivacyKeys;
import io.mphub.testing.WeChatPayKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up checks of the WeChat Pay kinds and callback: every missing, unreadable or invalid item is one Problem
 * naming the property, its environment variable and the fix, and never a secret.
 */
class WeChatPayChecksTest {

    @TempDir
    Path tmp;

    private WeChatPayKeys keys;
    private final Map<String, String> properties = new HashMap<>();

    @BeforeEach
    void merchant() {
        keys = new WeChatPayKeys(tmp);
        properties.putAll(keys.settings());
        properties.putAll(PrivacyKeys.properties(java.util.List.of("analytics")));
    }

    /** The problems the provider finds with a destination "payment" of this kind. */
    private List<Problem> check(String kind) {
        List<Problem> problems = new ArrayList<>();
        configure(List.of(payment(kind)), problems);
        return problems;
    }

    private Provider.Configured configure(List<Destination> destinations, List<Problem> problems) {
        return new WeChatPayProvider().configure(new Settings(key -> Optional.ofNullable(properties.get(key)))
                .reader(problems), destinations, null);
    }

    private static Destination payment(String kind) {
        return new Destination("payment", kind, URI.create(WeChatPayV3Kind.DEFAULT_URL), 10, Duration.ofSeconds(1),
                new RetryPolicy(1, Duration.ZERO, 1, Duration.ZERO), DataContract.WHOLE);
    }

    private static String text(List<Problem> problems) {
        return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }

    @Test
    void bothKindsAreOfferedWithWeChatPaysOwnUrl() {
        assertThat(new WeChatPayProvider().kinds()).extracting(Provider.KindName::name, k -> k.defaultUrl().orElseThrow())
                .containsExactly(tuple("wechatpay-v3", URI.create("https://api.mch.weixin.qq.com")),
                        tuple("wechatpay-v2", URI.create("https://api.mch.weixin.qq.com")));
    }

    @Test
    void fullyConfiguredMerchantPassesBothChecks() {
        assertThat(check("wechatpay-v3")).isEmpty();
        assertThat(check("wechatpay-v2")).isEmpty();
        V3Merchant merchant = V3Merchant.read(new WeChatPaySettings(
                new Settings(key -> Optional.ofNullable(properties.get(key))).reader(new ArrayList<>()))).orElseThrow();
        assertThat(merchant.platformKeys()).containsOnlyKeys(WeChatPayKeys.PLATFORM_SERIAL);
        assertThat(merchant.platformKeys().get(WeChatPayKeys.PLATFORM_SERIAL)).isEqualTo(keys.platform.getPublic());
        assertThat(merchant.toString()).doesNotContain(keys.apiV3Key);
    }

    @Test
    void everyMissingV3SettingIsReportedAtOnceWithItsEnvironmentVariable() {
        properties.clear();

        List<Problem> problems = check("wechatpay-v3");

        assertThat(problems).hasSize(6);
        assertThat(text(problems)).contains("MPHUB_WECHATPAY_MCHID", "MPHUB_WECHATPAY_MERCHANT_SERIAL",
                "MPHUB_WECHATPAY_MERCHANT_KEY_FILE", "MPHUB_WECHATPAY_PLATFORM_KEYS_DIR", "MPHUB_WECHATPAY_APIV3_KEY",
                "MPHUB_WECHATPAY_NOTIFY_URL");
    }

    @Test
    void unreadableMerchantKeyFileIsNamed() {
        properties.put("mphub.wechatpay.merchant-key-file", tmp.resolve("missing.pem").toString());

        assertThat(text(check("wechatpay-v3"))).contains("mphub.wechatpay.merchant-key-file")
                .contains("cannot read").contains("missing.pem");
    }

    @Test
    void merchantKeyThatIsNotRsaIsRefused() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        Path file = Files.writeString(tmp.resolve("ec.pem"),
                WeChatPayKeys.pem("PRIVATE KEY", ec.generateKeyPair().getPrivate().getEncoded()));
        properties.put("mphub.wechatpay.merchant-key-file", file.toString());

        assertThat(check("wechatpay-v3")).singleElement().satisfies(p -> assertThat(p.toString())
                .contains("mphub.wechatpay.merchant-key-file").contains("holds no RSA private key"));
    }

    @Test
    void merchantCertificateInsteadOfKeyIsRefusedWithTheFix() throws IOException {
        Path file = Files.writeString(tmp.resolve("cert.pem"), WeChatPayKeys.pem("PUBLIC KEY",
                keys.merchant.getPublic().getEncoded()));
        properties.put("mphub.wechatpay.merchant-key-file", file.toString());

        assertThat(text(check("wechatpay-v3"))).contains("PKCS#8").contains("apiclient_key.pem");
    }

    @Test
    void platformKeysDirectoryProblemsNameTheFile() throws IOException {
        Files.writeString(keys.platformKeysDir.resolve("BROKEN.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");

        assertThat(check("wechatpay-v3")).singleElement().satisfies(p -> assertThat(p.toString())
                .contains("mphub.wechatpay.platform-keys-dir").contains("BROKEN.pem"));
    }

    @Test
    void emptyOrMissingPlatformKeysDirectoryIsRefused() throws IOException {
        properties.put("mphub.wechatpay.platform-keys-dir", Files.createDirectory(tmp.resolve("empty")).toString());
        assertThat(text(check("wechatpay-v3"))).contains("holds no <serial>.pem file");

        properties.put("mphub.wechatpay.platform-keys-dir", tmp.resolve("nowhere").toString());
        assertThat(text(check("wechatpay-v3"))).contains("cannot list");
    }

    @Test
    void apiV3KeyOfTheWrongLengthIsRefusedWithoutShowingIt() {
        String shortKey = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8G";
        properties.put("mphub.wechatpay.apiv3-key", shortKey);

        List<Problem> problems = check("wechatpay-v3");

        assertThat(problems).singleElement().satisfies(p -> assertThat(p.toString())
                .contains("MPHUB_WECHATPAY_APIV3_KEY").contains("the key must be 32 bytes, but is 31"));
        assertThat(text(problems)).doesNotContain(shortKey);
    }

    @Test
    void notifyUrlMustBeHttpsWithoutQuery() {
        properties.put("mphub.wechatpay.notify-url", "http://pay.example.com/callbacks/wechatpay");
        assertThat(text(check("wechatpay-v3"))).contains("mphub.wechatpay.notify-url").contains("is not an https URL");

        properties.put("mphub.wechatpay.notify-url", "https://pay.example.com/callbacks/wechatpay?shop=1");
        assertThat(text(check("wechatpay-v3"))).contains("has a query");

        properties.put("mphub.wechatpay.notify-url", "https://pay.example.com/callbacks/wechatpay");
        properties.put("mphub.wechatpay.refund-notify-url", "https://pay.example.com/refunds?x=1");
        assertThat(text(check("wechatpay-v3"))).contains("mphub.wechatpay.refund-notify-url").contains("has a query");
    }

    @Test
    void refundNotifyUrlPointingAtThePaymentCallbackStopsStartUpWithTheFix() {
        properties.put("mphub.wechatpay.notify-url", "https://pay.example.com/hub/notify");
        for (String hubs : List.of("https://refunds.example.com/callbacks/wechatpay",
                "https://refunds.example.com/callbacks/wechatpay/", "https://PAY.example.com/hub/notify")) {
            properties.put("mphub.wechatpay.refund-notify-url", hubs);

            assertThat(check("wechatpay-v3")).as(hubs).singleElement().satisfies(p -> assertThat(p.toString())
                    .contains("MPHUB_WECHATPAY_REFUND_NOTIFY_URL").contains("is the hub's payment callback")
                    .contains("fix: set it to your own refund handler"));
        }

        properties.put("mphub.wechatpay.refund-notify-url", "https://pay.example.com/refunds/wechatpay");
        assertThat(check("wechatpay-v3")).as("the merchant's own handler, next to the hub").isEmpty();
    }

    @Test
    void merchantIdAndSerialAreCheckedForShape() {
        properties.put("mphub.wechatpay.mchid", "wx1234");
        properties.put("mphub.wechatpay.merchant-serial", "not-a-serial");

        assertThat(text(check("wechatpay-v3"))).contains("'wx1234' is not a merchant id")
                .contains("'not-a-serial' is not a certificate serial number");
    }

    @Test
    void v2ChecksItsKeySignTypeNotifyUrlAndClientIp() {
        properties.put("mphub.wechatpay.v2.api-key", "short");
        properties.put("mphub.wechatpay.v2.sign-type", "SHA1");
        properties.put("mphub.wechatpay.v2.notify-url", "ftp://pay.example.com/notify");
        properties.put("mphub.wechatpay.v2.client-ip", "pay.example.com");

        List<Problem> problems = check("wechatpay-v2");

        assertThat(problems).hasSize(4);
        assertThat(text(problems)).contains("MPHUB_WECHATPAY_V2_API_KEY", "must be 32 bytes")
                .contains("'SHA1' is not one of HMAC-SHA256, MD5")
                .contains("MPHUB_WECHATPAY_V2_NOTIFY_URL")
                .contains("'pay.example.com' is not an IP address")
                .doesNotContain("short'");
    }

    @Test
    void v2AcceptsMd5AndPlainHttpNotifyUrl() {
        properties.put("mphub.wechatpay.v2.sign-type", "MD5");
        properties.put("mphub.wechatpay.v2.notify-url", "http://pay.example.com/notify");

        assertThat(check("wechatpay-v2")).isEmpty();
    }

    @Test
    void paymentDestinationOfKindWeChatPayNeedsNoWebhookSecretButItsMerchantSettings() throws IOException {
        Map<String, String> hub = new HashMap<>();
        hub.put("mphub.security.allowed-hosts", "127.0.0.1,api.mch.weixin.qq.com");
        for (String d : List.of("analytics", "customer-service", "logistics", "notifications")) {
            hub.put("mphub.destinations." + d + ".url", "http://127.0.0.1:9/x");
            hub.put("mphub.destinations." + d + ".secret", "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]));
        }
        hub.put("mphub.destinations.payment.kind", "wechatpay-v3");
        HubConfiguration.load(new Settings(key -> Optional.ofNullable(hub.containsKey(key) ? hub.get(key) : properties.get(key))),
                RouteFiles.scan(Path.of("routes")));

        properties.clear();
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> HubConfiguration.load(
                new Settings(key -> Optional.ofNullable(hub.get(key))), RouteFiles.scan(Path.of("routes"))));
        assertThat(e.getMessage()).contains("MPHUB_WECHATPAY_MCHID").doesNotContain("MPHUB_DESTINATIONS_PAYMENT_SECRET");
    }

    @Test
    void withoutAnApiV3KeyThereIsNoPaymentCallback() {
        properties.remove("mphub.wechatpay.apiv3-key");

        assertThat(callbacks(List.of(), new ArrayList<>())).isEmpty();
    }

    @Test
    void paymentCallbackWithAnApiV3KeyButNoPlatformKeysStopsStartUp() {
        properties.remove("mphub.wechatpay.platform-keys-dir");

        List<Problem> problems = new ArrayList<>();
        configure(List.of(), problems);

        assertThat(problems).singleElement().satisfies(p -> assertThat(p.toString())
                .contains("MPHUB_WECHATPAY_PLATFORM_KEYS_DIR").doesNotContain(keys.apiV3Key));
    }

    @Test
    void paymentCallbackIsBuiltFromTheMerchantSettingsWithoutAnyPaymentDestination() {
        List<Problem> problems = new ArrayList<>();

        assertThat(callbacks(List.of(), problems)).containsOnlyKeys(WeChatPayCallback.NAME);
        assertThat(problems).isEmpty();
    }

    private Map<String, Callback> callbacks(List<Destination> destinations, List<Problem> problems) {
        return configure(destinations, problems).callbacks(new ProviderContext(Clock.systemUTC(), new ObjectMapper(),
                null, null));
    }
}
