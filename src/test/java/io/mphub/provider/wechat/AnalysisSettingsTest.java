package io.mphub.provider.wechat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
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

/** Start-up checks of the analysis job's settings, through the hub's own configuration loading. */
class AnalysisSettingsTest {

    private static final String APP = "wx00000000000000a1";
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path tmp;
    private Path routes;
    private final Map<String, String> properties = new HashMap<>();

    @BeforeEach
    void webhookDestinationsOnly() throws IOException {
        routes = TestRoutes.copyInto(tmp);
        properties.put("mphub.routes.dir", routes.toString());
        properties.put("mphub.security.allowed-hosts", "localhost,127.0.0.1,api.weixin.qq.com");
        properties.putAll(PrivacyKeys.properties(java.util.List.of("analytics")));
        for (String d : new String[] {"analytics", "customer-service", "logistics", "notifications", "payment"}) {
            properties.put("mphub.destinations." + d + ".url", "http://127.0.0.1:9/" + d);
            properties.put("mphub.destinations." + d + ".secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        }
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
    void offByDefaultSoTheHubStartsWithoutWeChatCredentials() throws IOException {
        assertThat(load().destinations()).hasSize(5);
    }

    @Test
    void enabledWithoutAppsNamesTheVariable() {
        properties.put(WeChatSettings.ANALYSIS_ENABLED.key(), "true");
        assertThat(refused().getMessage()).contains("MPHUB_WECHAT_APP_IDS").contains("no mini program is configured");
    }

    @Test
    void enabledWithAnAppWithoutItsSecretNamesItsVariable() {
        properties.put(WeChatSettings.ANALYSIS_ENABLED.key(), "true");
        properties.put("mphub.wechat.app-ids", APP);
        assertThat(refused().problems()).singleElement().satisfies(p -> assertThat(p.where())
                .isEqualTo("mphub.wechat.apps." + APP + ".secret (MPHUB_WECHAT_APPS_WX00000000000000A1_SECRET)"));
    }

    @Test
    void enabledWithAppsAndSecretsLoads() throws IOException {
        properties.put(WeChatSettings.ANALYSIS_ENABLED.key(), "true");
        properties.put("mphub.wechat.app-ids", APP);
        properties.put(WeChatSettings.APP_SECRET_OF.forName(APP).key(), SECRET);
        assertThat(load().destinations()).hasSize(5);
    }

    @Test
    void catchUpDaysOutsideOneToThirtyStopStartUpNamingTheSettingAndTheFix() {
        for (String bad : new String[] {"0", "31", "seven"}) {
            properties.put(WeChatSettings.ANALYSIS_CATCH_UP_DAYS.key(), bad);
            assertThat(refused().problems()).as(bad).singleElement().satisfies(p -> {
                assertThat(p.where()).isEqualTo("mphub.wechat.analysis.catch-up-days"
                        + " (MPHUB_WECHAT_ANALYSIS_CATCH_UP_DAYS)");
                assertThat(p.fix()).contains("from 1 to 30");
            });
        }
    }

    @Test
    void aCronQuartzWouldRefuseStopsStartUpEvenWhenTheJobIsOff() {
        properties.put(WeChatSettings.ANALYSIS_CRON.key(), "0 12 * * *"); // a Unix cron: Quartz wants seconds first
        assertThat(refused().problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo("mphub.wechat.analysis.cron (MPHUB_WECHAT_ANALYSIS_CRON)");
            assertThat(p.what()).contains("is not a Quartz cron expression");
            assertThat(p.fix()).contains("0 0 12 * * ?");
        });
    }

    @Test
    void enabledMustBeTrueOrFalse() {
        properties.put(WeChatSettings.ANALYSIS_ENABLED.key(), "yes please");
        assertThat(refused().getMessage()).contains("MPHUB_WECHAT_ANALYSIS_ENABLED");
    }
}
