package io.mphub.provider.wechat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mphub.boot.HubConfiguration;
import io.mphub.config.ConfigurationException;
import io.mphub.config.RouteFiles;
import io.mphub.config.Settings;
import io.mphub.testing.PrivacyKeys;
import io.mphub.testing.TestRoutes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Start-up checks of kind wechat-subscribe-message, through the hub's own configuration loading. */
class SubscribeMessageSettingsTest {

    private static final String APP = "wx00000000000000a1";
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path tmp;
    private Path routes;
    private final Map<String, String> properties = new HashMap<>();

    @BeforeEach
    void validSetup() throws IOException {
        routes = TestRoutes.copyInto(tmp);
        properties.put("mphub.routes.dir", routes.toString());
        properties.put("mphub.security.allowed-hosts", "localhost,127.0.0.1,api.weixin.qq.com");
        properties.putAll(PrivacyKeys.properties(java.util.List.of("analytics")));
        for (String d : new String[] {"analytics", "customer-service", "logistics", "notifications", "payment"}) {
            properties.put("mphub.destinations." + d + ".url", "http://127.0.0.1:9/" + d);
            properties.put("mphub.destinations." + d + ".secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        }
        properties.remove("mphub.destinations.notifications.url");
        properties.put("mphub.destinations.notifications.kind", "wechat-subscribe-message");
        properties.put("mphub.wechat.app-ids", APP);
        properties.put(WeChatSettings.APP_SECRET_OF.forName(APP).key(), SECRET);
        Path templates = routes.resolve("subscribe-messages.yaml");
        Files.writeString(templates, Files.readString(templates)
                .replace("REPLACE-WITH-YOUR-SHIPPED-TEMPLATE-ID", "T-SHIPPED")
                .replace("REPLACE-WITH-YOUR-LOGISTICS-TEMPLATE-ID", "T-LOGISTICS"));
    }

    private HubConfiguration load() throws IOException {
        return HubConfiguration.load(new Settings(key -> Optional.ofNullable(properties.get(key))), RouteFiles.scan(routes));
    }

    private ConfigurationException refused() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, this::load);
        assertThat(e).as("the configuration should be refused").isNotNull();
        assertThat(e.getMessage()).doesNotContain(SECRET);
        return e;
    }

    @Test
    void configuredKindLoadsWithWeChatsUrlByDefault() throws IOException {
        HubConfiguration config = load();
        assertThat(config.destinations().get("notifications").kind()).isEqualTo("wechat-subscribe-message");
        assertThat(config.destinations().get("notifications").url().toString()).isEqualTo("https://api.weixin.qq.com");
    }

    @Test
    void noAppIdsNamesTheVariable() {
        properties.remove("mphub.wechat.app-ids");
        assertThat(refused().getMessage()).contains("MPHUB_WECHAT_APP_IDS").contains("no mini program is configured");
    }

    @Test
    void appWithoutSecretNamesItsVariable() {
        properties.put("mphub.wechat.app-ids", APP + ",wx00000000000000b2");
        assertThat(refused().problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo("mphub.wechat.apps.wx00000000000000b2.secret"
                    + " (MPHUB_WECHAT_APPS_WX00000000000000B2_SECRET)");
            assertThat(p.what()).contains("has no AppSecret");
        });
    }

    @Test
    void malformedAppIdAndSecretAreRefusedAtOnceWithoutShowingTheSecret() {
        properties.put("mphub.wechat.app-ids", APP + ",wxNOTANAPPID");
        properties.put(WeChatSettings.APP_SECRET_OF.forName(APP).key(), "not-" + SECRET);

        ConfigurationException e = refused();

        assertThat(e.problems()).extracting(ConfigurationException.Problem::what).containsExactlyInAnyOrder(
                "'wxNOTANAPPID' is not a mini program's AppID", "the value is not 32 hex digits");
        assertThat(e.getMessage()).doesNotContain("not-" + SECRET);
    }

    @Test
    void apiUrlOnAHostNotAllowedIsRefused() {
        properties.put("mphub.wechat.api-url", "https://token.example.org");
        assertThat(refused().getMessage()).contains("MPHUB_WECHAT_API_URL").contains("token.example.org");
    }

    @Test
    void destinationOnASandboxWhileTokensComeFromWeChatIsRefusedNamingBothSettings() {
        properties.put("mphub.destinations.notifications.url", "http://127.0.0.1:8090");
        assertThat(refused().problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo("mphub.destinations.notifications.url (MPHUB_DESTINATIONS_NOTIFICATIONS_URL)");
            assertThat(p.what()).contains("mphub.wechat.api-url").contains("https://api.weixin.qq.com:443")
                    .contains("http://127.0.0.1:8090");
            assertThat(p.fix()).contains("MPHUB_DESTINATIONS_NOTIFICATIONS_URL").contains("MPHUB_WECHAT_API_URL");
        });
    }

    @Test
    void tokensFromASandboxWhileMessagesGoToWeChatAreRefused() {
        properties.put("mphub.wechat.api-url", "http://127.0.0.1:8090");
        assertThat(refused().problems()).singleElement().satisfies(p -> assertThat(p.what())
                .contains("http://127.0.0.1:8090").contains("https://api.weixin.qq.com:443"));
    }

    @Test
    void anotherPortOnTheSameHostIsAnotherHost() {
        properties.put("mphub.wechat.api-url", "http://127.0.0.1:8090");
        properties.put("mphub.destinations.notifications.url", "http://127.0.0.1:8091");
        assertThat(refused().getMessage()).contains("http://127.0.0.1:8091");
    }

    @Test
    void sameHostAndPortMayDifferInPathAndInHowThePortIsWritten() throws IOException {
        properties.put("mphub.wechat.api-url", "http://127.0.0.1:8090/wechat");
        properties.put("mphub.destinations.notifications.url", "http://127.0.0.1:8090/wechat/");
        assertThat(load().destinations().get("notifications").url().toString()).isEqualTo("http://127.0.0.1:8090/wechat/");

        properties.remove("mphub.wechat.api-url");
        properties.put("mphub.destinations.notifications.url", "https://API.weixin.qq.com:443");
        assertThat(load().destinations()).containsKey("notifications");
    }

    @Test
    void refreshCronThatQuartzWouldRefuseStopsStartUpNamingTheSetting() {
        properties.put(WeChatSettings.REFRESH_CRON.key(), "*/5 * * * *"); // a Unix cron: Quartz wants seconds first
        assertThat(refused().problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo("mphub.wechat.token.refresh-cron (MPHUB_WECHAT_TOKEN_REFRESH_CRON)");
            assertThat(p.what()).contains("'*/5 * * * *' is not a Quartz cron expression");
            assertThat(p.fix()).contains("0 * * * * ?");
        });
    }

    @Test
    void refreshCronIsCheckedWithoutAWeChatKindToo() {
        properties.put("mphub.destinations.notifications.kind", "webhook");
        properties.put("mphub.destinations.notifications.url", "http://127.0.0.1:9/notifications");
        properties.put(WeChatSettings.REFRESH_CRON.key(), "every minute");
        assertThat(refused().getMessage()).contains("MPHUB_WECHAT_TOKEN_REFRESH_CRON");
    }

    @Test
    void refreshCronAcceptsQuartzExpressionsAndPlusForSpaceAsCamelQuartzDoes() throws IOException {
        properties.put(WeChatSettings.REFRESH_CRON.key(), "0/30 * * * * ?");
        assertThat(load().destinations()).containsKey("notifications");
        properties.put(WeChatSettings.REFRESH_CRON.key(), "0+*+*+*+*+?");
        assertThat(load().destinations()).containsKey("notifications");
    }

    @Test
    void templatesFileProblemsStopStartUpWithFileAndLine() throws IOException {
        Path file = routes.resolve("subscribe-messages.yaml");
        Files.writeString(file, Files.readString(file).replace("{data.carrier}", "{data.courier}"));
        ConfigurationException e = refused();
        int line = Files.readAllLines(file).indexOf("      thing2: \"{data.courier}\"") + 1;
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo(file + ":" + line);
            assertThat(p.what()).contains("{data.courier}");
        });
    }

    @Test
    void shippedPlaceholderTemplateIdsStopStartUpWithFileLineAndFix() throws IOException {
        Path file = routes.resolve("subscribe-messages.yaml");
        Files.copy(Path.of("routes/subscribe-messages.yaml"), file, StandardCopyOption.REPLACE_EXISTING);
        List<String> lines = Files.readAllLines(file);
        ConfigurationException e = refused();
        assertThat(e.problems()).extracting(ConfigurationException.Problem::where).containsExactly(
                file + ":" + (lines.indexOf("    template_id: \"REPLACE-WITH-YOUR-SHIPPED-TEMPLATE-ID\"") + 1),
                file + ":" + (lines.indexOf("    template_id: \"REPLACE-WITH-YOUR-LOGISTICS-TEMPLATE-ID\"") + 1));
        assertThat(e.problems()).allSatisfy(p ->
                assertThat(p.fix()).contains("set your template id from the mini program's admin console"));
    }

    @Test
    void shippedPlaceholderTemplateIdsDoNotMatterWhenNoDestinationUsesTheKind() throws IOException {
        Files.copy(Path.of("routes/subscribe-messages.yaml"), routes.resolve("subscribe-messages.yaml"),
                StandardCopyOption.REPLACE_EXISTING);
        properties.put("mphub.destinations.notifications.kind", "webhook");
        properties.put("mphub.destinations.notifications.url", "http://127.0.0.1:9/notifications");
        assertThat(load().destinations()).containsKey("notifications");
    }

    @Test
    void templatesFileIsFoundWhereTheSettingSays() throws IOException {
        Path elsewhere = tmp.resolve("elsewhere.yaml");
        Files.writeString(elsewhere, "templates:\n  mp.order.paid:\n    template_id: T\n    data:\n      thing1: \"{data.nope}\"\n");
        properties.put(WeChatProvider.TEMPLATES.key(), elsewhere.toString());
        assertThat(refused().getMessage()).contains(elsewhere + ":5").contains("{data.nope}");
    }

    @Test
    void webhookDestinationsNeedNoWeChatSettings() throws IOException {
        properties.put("mphub.destinations.notifications.kind", "webhook");
        properties.put("mphub.destinations.notifications.url", "http://127.0.0.1:9/notifications");
        properties.remove("mphub.wechat.app-ids");
        assertThat(load().destinations()).containsKey("notifications");
    }
}
