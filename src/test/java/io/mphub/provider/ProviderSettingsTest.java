package io.mphub.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mphub.boot.HubConfiguration;
import io.mphub.config.ConfigurationException;
import io.mphub.config.RouteFiles;
import io.mphub.config.Settings;
import io.mphub.testing.PrivacyKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The start-up checks of kinds kuaidi100 and qiyu: every missing or bad setting named with its variable and fix. */
class ProviderSettingsTest {

    private static final String SALT = "a-master-salt-of-32-characters!!";
    private static final String KEY = "k100-secret-key";
    private static final String QIYU_SECRET = "qiyu-app-secret-0123";
    private final Map<String, String> properties = new HashMap<>();

    @BeforeEach
    void validSetup() {
        properties.put("mphub.security.allowed-hosts", "localhost,127.0.0.1,poll.kuaidi100.com,qiyukf.com");
        properties.putAll(PrivacyKeys.properties(java.util.List.of("analytics")));
        for (String d : List.of("analytics", "customer-service", "logistics", "notifications", "payment")) {
            properties.put("mphub.destinations." + d + ".url", "http://127.0.0.1:9/" + d);
            properties.put("mphub.destinations." + d + ".secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        }
        properties.put("mphub.destinations.logistics.kind", "kuaidi100");
        properties.remove("mphub.destinations.logistics.url");
        properties.put("mphub.kuaidi100.key", KEY);
        properties.put("mphub.kuaidi100.salt", SALT);
        properties.put("mphub.kuaidi100.callback-url", "https://hub.example.com/callbacks/kuaidi100");
        properties.put("mphub.destinations.customer-service.kind", "qiyu");
        properties.remove("mphub.destinations.customer-service.url");
        properties.put("mphub.qiyu.app-key", "qiyu-app-key");
        properties.put("mphub.qiyu.app-secret", QIYU_SECRET);
    }

    private HubConfiguration load() throws Exception {
        return HubConfiguration.load(new Settings(key -> Optional.ofNullable(properties.get(key))),
                RouteFiles.scan(Path.of("routes")));
    }

    private ConfigurationException refused() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, this::load);
        assertThat(e).as("the configuration should be refused").isNotNull();
        assertThat(e.getMessage()).doesNotContain(SALT, KEY, QIYU_SECRET);
        return e;
    }

    @Test
    void providerKindsDefaultToTheProvidersOwnServices() throws Exception {
        HubConfiguration config = load();

        assertThat(config.destinations().get("logistics").url()).hasToString("https://poll.kuaidi100.com");
        assertThat(config.destinations().get("logistics").kind()).isEqualTo("kuaidi100");
        assertThat(config.destinations().get("customer-service").url()).hasToString("https://qiyukf.com");
    }

    @Test
    void kuaidi100WithoutItsSettingsNamesEachOne() {
        properties.remove("mphub.kuaidi100.key");
        properties.remove("mphub.kuaidi100.salt");
        properties.remove("mphub.kuaidi100.callback-url");

        ConfigurationException e = refused();
        assertThat(e.problems()).extracting(ConfigurationException.Problem::where).containsExactlyInAnyOrder(
                "mphub.kuaidi100.key (MPHUB_KUAIDI100_KEY)", "mphub.kuaidi100.salt (MPHUB_KUAIDI100_SALT)",
                "mphub.kuaidi100.callback-url (MPHUB_KUAIDI100_CALLBACK_URL)");
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.fix()).startsWith("set MPHUB_KUAIDI100_"));
    }

    @Test
    void aDestinationWithAProblemOfItsOwnStillHasItsProvidersSettingsChecked() {
        properties.put("mphub.destinations.logistics.rate", "fast");
        properties.remove("mphub.kuaidi100.key");

        assertThat(refused().problems()).extracting(ConfigurationException.Problem::where).containsExactlyInAnyOrder(
                "mphub.destinations.logistics.rate (MPHUB_DESTINATIONS_LOGISTICS_RATE)",
                "mphub.kuaidi100.key (MPHUB_KUAIDI100_KEY)");
    }

    @Test
    void kuaidi100RefusesAShortSaltAndACallbackUrlItCannotUse() {
        properties.put("mphub.kuaidi100.salt", "short");
        ConfigurationException e = refused();
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).startsWith("mphub.kuaidi100.salt");
            assertThat(p.what()).contains("shorter than 16");
        });
        properties.put("mphub.kuaidi100.salt", SALT);

        for (String bad : List.of("http://hub.example.com/callbacks/kuaidi100", "https://hub.example.com/cb?x=1",
                "/callbacks/kuaidi100", "https://hub example")) {
            properties.put("mphub.kuaidi100.callback-url", bad);
            assertThat(refused().problems()).as(bad).singleElement()
                    .satisfies(p -> assertThat(p.where()).startsWith("mphub.kuaidi100.callback-url"));
        }
        properties.put("mphub.kuaidi100.callback-url", "http://127.0.0.1:8088/callbacks/kuaidi100");
        assertThat(catchThrowableOfType(ConfigurationException.class, this::load)).as("http on this machine").isNull();
    }

    @Test
    void qiyuWithoutItsCredentialsNamesEachOne() {
        properties.remove("mphub.qiyu.app-key");
        properties.remove("mphub.qiyu.app-secret");

        assertThat(refused().problems()).extracting(ConfigurationException.Problem::where).containsExactlyInAnyOrder(
                "mphub.qiyu.app-key (MPHUB_QIYU_APP_KEY)", "mphub.qiyu.app-secret (MPHUB_QIYU_APP_SECRET)");
    }

    @Test
    void qiyuOrderLinkMustBeAUrlWithThePlaceholder() {
        properties.put("mphub.qiyu.order-link", "https://admin.example.com/orders");
        assertThat(refused().problems()).singleElement().satisfies(p -> assertThat(p.what()).contains("{orderId}"));
        properties.put("mphub.qiyu.order-link", "admin/{orderId}");
        assertThat(refused().problems()).singleElement().satisfies(p -> assertThat(p.where())
                .startsWith("mphub.qiyu.order-link"));
    }

    @Test
    void aKindsSettingsAreNotAskedForWhenNoDestinationUsesIt() throws Exception {
        properties.put("mphub.destinations.logistics.kind", "webhook");
        properties.put("mphub.destinations.logistics.url", "http://127.0.0.1:9/logistics");
        properties.remove("mphub.kuaidi100.key");
        properties.remove("mphub.kuaidi100.salt");
        properties.remove("mphub.kuaidi100.callback-url");

        assertThat(load().destinations().get("logistics").kind()).isEqualTo("webhook");
    }
}
