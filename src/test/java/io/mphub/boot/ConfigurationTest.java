package io.mphub.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mphub.config.AllowedHosts;
import io.mphub.config.ConfigurationException;
import io.mphub.config.RouteFiles;
import io.mphub.config.Secret;
import io.mphub.config.Settings;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Kind;
import io.mphub.deliver.Outcome;
import io.mphub.enrich.Enricher;
import io.mphub.ops.Demo;
import io.mphub.provider.ProviderContext;
import io.mphub.provider.tencentmap.TencentMapSettings;
import io.mphub.testing.PrivacyKeys;
import io.mphub.testing.Receiver;
import io.mphub.testing.TestRoutes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Bad configuration stops start-up with a message that names the place and the fix, and never a secret. */
class ConfigurationTest {

    private static final Path ROUTES = Path.of("routes");
    private static final List<String> DESTINATIONS = List.of("analytics", "customer-service", "logistics", "notifications",
            "payment");
    private static final String URL = "http://127.0.0.1:9/x";

    @TempDir
    Path tmp;

    private Path routes;
    private final Map<String, String> properties = new HashMap<>();
    private final Random random = new Random(20260101L);

    @BeforeEach
    void validSetup() throws IOException {
        routes = tmp.resolve("routes");
        try (Stream<Path> files = Files.walk(ROUTES)) {
            for (Path from : files.toList()) {
                Path to = routes.resolve(ROUTES.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        properties.put("mphub.security.allowed-hosts", "localhost,127.0.0.1");
        for (String d : DESTINATIONS) {
            properties.put("mphub.destinations." + d + ".url", URL);
            properties.put("mphub.destinations." + d + ".secret", secret(32));
        }
        properties.putAll(PrivacyKeys.properties(DESTINATIONS));
    }

    private String secret(int bytes) {
        byte[] key = new byte[bytes];
        random.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private HubConfiguration load() throws IOException {
        return HubConfiguration.load(new Settings(key -> Optional.ofNullable(properties.get(key))), RouteFiles.scan(routes));
    }

    /** Loads, expects refusal, and checks that no configured secret shows in what the operator reads. */
    private ConfigurationException refused() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, this::load);
        assertThat(e).as("the configuration should be refused").isNotNull();
        properties.forEach((key, value) -> {
            if (key.endsWith(".secret") && !value.equals("whsec_")) {
                assertThat(e.getMessage()).doesNotContain(value);
                String encoded = value.startsWith("whsec_") ? value.substring("whsec_".length()) : value;
                if (encoded.length() >= 8) {
                    assertThat(e.getMessage()).doesNotContain(encoded);
                }
            }
        });
        return e;
    }

    /** Replaces the first line of the file that contains {@code from}; returns that line's number (from 1). */
    private int edit(String file, String from, String to) {
        try {
            return TestRoutes.edit(routes.resolve(file), from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void fullyConfiguredSetupLoads() throws IOException {
        HubConfiguration config = load();

        assertThat(config.destinations()).containsOnlyKeys(DESTINATIONS);
        Destination payment = config.destinations().get("payment");
        assertThat(payment.url()).hasToString(URL);
        assertThat(payment.kind()).isEqualTo("webhook");
        assertThat(payment.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(payment.outboxTopic()).isEqualTo("mp.out.payment");
        assertThat(payment.deadLetterTopic()).isEqualTo("mp.dlq.payment");
        assertThat(payment.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(payment.retry().maxAttempts()).isEqualTo(6);
        assertThat(payment.contract().keep()).isEmpty();
        assertThat(payment.contract().rules()).isEmpty();
    }

    @Test
    void aWebhookDestinationSignsWithTheSecretOfItsSettings() throws Exception {
        try (Receiver receiver = Receiver.start()) {
            properties.put("mphub.destinations.payment.url", receiver.url());
            properties.put("mphub.destinations.payment.secret", receiver.secret());
            HubConfiguration config = load();
            Destination payment = config.destinations().get("payment");
            Kind kind = config.kindOf().get("payment").kind(payment, new ProviderContext(Clock.systemUTC(),
                    new ObjectMapper(), null, new SimpleMeterRegistry()));

            assertThat(kind.attempt(HttpClient.newHttpClient(), "evt-1", "{\"id\":\"evt-1\"}".getBytes()))
                    .isInstanceOf(Outcome.Delivered.class);
            assertThat(receiver.posts()).singleElement().satisfies(a -> assertThat(a.signatureValid()).isTrue());
        }
    }

    @Test
    void perDestinationSettingsOverrideTheDeliveryDefaults() throws IOException {
        properties.put("mphub.delivery.rate", "20");
        properties.put("mphub.destinations.logistics.rate", "5");

        HubConfiguration config = load();

        assertThat(config.destinations().get("analytics").rate()).isEqualTo(20);
        assertThat(config.destinations().get("logistics").rate()).isEqualTo(5);
    }

    @Test
    void theRetiredFieldsSettingStopsStartUpNamingItsReplacement() {
        properties.put("mphub.destinations.logistics.fields", "appId, orderId ,carrier");

        assertThatThrownBy(this::load).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("mphub.destinations.logistics.fields (MPHUB_DESTINATIONS_LOGISTICS_FIELDS)")
                .hasMessageContaining("is retired")
                .hasMessageContaining("as the parameter keep");
    }

    @Test
    void theDemoPointsEveryWebhookDestinationWithoutUrlOrSecretAtItsSandbox() throws IOException {
        properties.keySet().removeIf(k -> k.startsWith("mphub.destinations."));
        properties.put("mphub.demo.port", "0");
        Settings settings = new Settings(key -> Optional.ofNullable(properties.get(key)));
        Settings.Reader read = settings.reader(new ArrayList<>());
        assertThat(Demo.runs(read, true, DESTINATIONS)).as("no URL on the embedded broker: the demo").isTrue();
        assertThat(Demo.runs(read, false, DESTINATIONS)).as("never on a real cluster by itself").isFalse();

        try (Demo demo = Demo.start(read, DESTINATIONS)) {
            properties.putAll(demo.overrides());
            HubConfiguration config = load();

            assertThat(config.destinations()).containsOnlyKeys(DESTINATIONS);
            assertThat(config.destinations().get("payment").url().getHost()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void badDemoSettingsAreProblemsEvenWhenTheDemoDoesNotRun() {
        properties.put("mphub.demo.port", "eighty");
        properties.put("mphub.demo.interval-ms", "0");

        assertThat(refused().problems()).extracting(ConfigurationException.Problem::where).containsExactlyInAnyOrder(
                "mphub.demo.port (MPHUB_DEMO_PORT)", "mphub.demo.interval-ms (MPHUB_DEMO_INTERVAL_MS)");
    }

    @Test
    void unknownDestinationInFanOutTableNamesFileAndLine() {
        int line = edit(RouteFiles.DISPATCH_FILE, "constant: analytics", "constant: analytcs");

        ConfigurationException e = refused();

        assertThat(e.problems()).hasSize(1);
        assertThat(e.getMessage()).contains(RouteFiles.DISPATCH_FILE + ":" + line)
                .contains("unknown destination 'analytcs'")
                .contains("analytics, customer-service, logistics, notifications, payment")
                .contains("correct the name, or add routes/destinations/analytcs.camel.yaml");
    }

    @Test
    void destinationRouteNotNamedDeliverNameIsRefused() {
        edit("destinations/logistics.camel.yaml", "routeId: deliver-logistics", "routeId: logistics-route");

        ConfigurationException e = refused();

        assertThat(e.problems()).hasSize(1);
        assertThat(e.getMessage()).contains("logistics.camel.yaml")
                .contains("is not named deliver-logistics").contains("routeId: deliver-logistics");
    }

    @Test
    void aFanOutBranchTheCheckCannotReadStopsStartUpNamingItsLine() {
        int line = edit(RouteFiles.DISPATCH_FILE, "constant: analytics,customer-service",
                "simple: \"analytics,${exchangeProperty.extra}\"");

        ConfigurationException e = refused();

        // The setProperty whose value is an expression: its first line, "name: destinations", just above.
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo(routes.resolve(RouteFiles.DISPATCH_FILE) + ":" + (line - 1));
            assertThat(p.what()).contains("other than with a constant list");
            assertThat(p.fix()).contains("constant: a,b");
        });
    }

    @Test
    void aFanOutTableThatSetsNoDestinationsAnywhereStopsStartUpNamingTheFile() throws IOException {
        Path dispatch = routes.resolve(RouteFiles.DISPATCH_FILE);
        List<String> lines = Files.readAllLines(dispatch);
        Files.writeString(dispatch, Files.readString(dispatch).replace("name: destinations", "name: targets"));

        ConfigurationException e = refused();

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo(dispatch + ":" + (lines.indexOf("- route:") + 1));
            assertThat(p.what()).contains("sets no 'destinations' property");
        });
    }

    @Test
    void theBatchTemplateWithoutTheBatchSizePlaceholderTheHubFillsStopsStartUp() {
        int line = edit("templates/deliver-batch.camel.yaml",
                "maxPollRecords: \"{{mphub.destinations.{{destination}}.batch.max-events}}\"", "maxPollRecords: \"50\"");

        ConfigurationException e = refused();

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo(routes.resolve("templates/deliver-batch.camel.yaml") + ":" + line);
            assertThat(p.what()).contains("relies on 'maxPollRecords: {{mphub.destinations.{{destination}}.batch.max-events}}'")
                    .endsWith("and it is '50'");
            assertThat(p.fix()).contains("the comment at the top of the file");
        });
    }

    @Test
    void ingestWithAnotherConsumerGroupThanTheOneTheHubReportsStopsStartUp() {
        int line = edit("ingest.camel.yaml", "groupId: \"{{mphub.ingest.group-id}}\"", "groupId: my-ingest");

        assertThat(refused().problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo(routes.resolve("ingest.camel.yaml") + ":" + line);
            assertThat(p.what()).contains("relies on 'groupId: {{mphub.ingest.group-id}}'");
        });
    }

    @Test
    void whatTheRouteFilesSayMayChangeDoesNotStopStartUp() throws IOException {
        edit("templates/deliver.camel.yaml", "          - process:",
                "          - log: \"event ${header.ce_id}\"\n          - process:");
        edit(RouteFiles.DISPATCH_FILE, "constant: analytics,customer-service", "constant: customer-service");

        assertThat(load().destinations()).hasSize(5);
    }

    @Test
    void unknownDestinationInsideAListNamesTheLineOfThatList() {
        int line = edit(RouteFiles.DISPATCH_FILE, "constant: logistics,notifications,customer-service,analytics",
                "constant: logistics,notifications, customer-servce ,analytics");

        ConfigurationException e = refused();

        assertThat(e.problems()).hasSize(1);
        assertThat(e.getMessage()).contains(RouteFiles.DISPATCH_FILE + ":" + line).contains("'customer-servce'");
    }

    @Test
    void badIndentationInDestinationFileIsMalformedYamlAtFileAndLine() {
        int line = edit("destinations/payment.camel.yaml", "        value: payment", "          value: payment");

        ConfigurationException e = refused();

        assertThat(e.getMessage()).contains("payment.camel.yaml:" + line + ": malformed YAML")
                .contains("correct the YAML");
    }

    @Test
    void unclosedQuoteInDestinationFileIsMalformedYamlAtTheLineOfTheQuote() {
        int line = edit("destinations/payment.camel.yaml", "routeId: deliver-payment", "routeId: \"deliver-payment");

        ConfigurationException e = refused();

        assertThat(e.getMessage()).contains("payment.camel.yaml:" + line + ": malformed YAML")
                .contains("quoted scalar");
    }

    @Test
    void missingUrlNamesThePropertyAndItsEnvironmentVariable() {
        properties.remove("mphub.destinations.customer-service.url");

        ConfigurationException e = refused();

        assertThat(e.problems()).hasSize(1);
        assertThat(e.getMessage()).contains("mphub.destinations.customer-service.url")
                .contains("MPHUB_DESTINATIONS_CUSTOMER_SERVICE_URL")
                .contains("customer-service.camel.yaml")
                .contains("has no URL");
    }

    /** An operator's throttle step in the batch template, before its bean; returns the line of its mode. */
    private int throttleStep(String mode) {
        return edit("templates/deliver-batch.camel.yaml", "          - bean:", "          - throttle:\n"
                + "              expression:\n                constant: \"50\"\n              mode: " + mode
                + "\n          - bean:") + 3;
    }

    @Test
    void misspeltThrottleModeNamesFileLineAndBothSpellings() {
        int line = throttleStep("TotalRequest");

        ConfigurationException e = refused();

        assertThat(e.problems()).hasSize(1);
        assertThat(e.getMessage()).contains("deliver-batch.camel.yaml:" + line)
                .contains("unknown throttle mode 'TotalRequest'")
                .contains("TotalRequests", "ConcurrentRequests");
    }

    @Test
    void urlHostNotOnTheAllowlistIsRefused() {
        properties.put("mphub.destinations.payment.url", "https://hooks.example.net/x");

        ConfigurationException e = refused();

        assertThat(e.problems()).hasSize(1);
        assertThat(e.getMessage()).contains("mphub.destinations.payment.url")
                .contains("host 'hooks.example.net' is not on mphub.security.allowed-hosts")
                .contains("MPHUB_SECURITY_ALLOWED_HOSTS");
    }

    @Test
    void wildcardAllowlistPermitsSubdomainsOnly() throws IOException {
        properties.put("mphub.security.allowed-hosts", "127.0.0.1, *.example.com");
        properties.put("mphub.destinations.payment.url", "https://hooks.EXAMPLE.com/x");

        assertThat(load().destinations().get("payment").url().getHost()).isEqualTo("hooks.EXAMPLE.com");

        properties.put("mphub.destinations.payment.url", "https://evilexample.com/x");
        assertThat(refused().getMessage()).contains("host 'evilexample.com' is not on mphub.security.allowed-hosts");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://127.0.0.1/x", "127.0.0.1:9/x", "http://127.0.0.1:9/a b"})
    void urlThatIsNotHttpIsRefused(String url) {
        properties.put("mphub.destinations.analytics.url", url);

        ConfigurationException e = refused();

        assertThat(e.problems()).hasSize(1);
        assertThat(e.getMessage()).contains("mphub.destinations.analytics.url").contains("is not an http(s) URL")
                .contains("the receiver's https URL");
    }

    @Test
    void destinationWithoutSecretRefusesToStartRatherThanSendUnsigned() {
        properties.remove("mphub.destinations.payment.secret");

        ConfigurationException e = refused();

        assertThat(e.problems()).hasSize(1);
        assertThat(e.getMessage()).contains("mphub.destinations.payment.secret")
                .contains("MPHUB_DESTINATIONS_PAYMENT_SECRET")
                .contains("never sends unsigned");
    }

    @Test
    void secretThatIsNotWhsecBase64Of24To64BytesIsRefused() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        String[] bad = {
                Base64.getEncoder().encodeToString(key),        // no whsec_ prefix
                secret(16),                                     // too short
                secret(23),
                secret(65),                                     // too long
                "whsec_" + "not*base64!".repeat(4),             // not Base64
                "whsec_"};
        for (String secret : bad) {
            properties.put("mphub.destinations.analytics.secret", secret);

            ConfigurationException e = refused();

            assertThat(e.problems()).as(secret).hasSize(1);
            assertThat(e.getMessage()).as(secret).contains("mphub.destinations.analytics.secret")
                    .contains("is not a Standard Webhooks secret")
                    .contains("whsec_ followed by the Base64 of 24 to 64 random bytes");
        }
    }

    @Test
    void secretsOf24And64BytesAreAccepted() throws IOException {
        properties.put("mphub.destinations.analytics.secret", secret(24));
        properties.put("mphub.destinations.payment.secret", secret(64));

        assertThat(load().destinations()).containsOnlyKeys(DESTINATIONS);
    }

    @Test
    void nanRetryMultiplierIsAConfigurationProblem() {
        properties.put("mphub.destinations.analytics.retry.multiplier", "NaN");

        ConfigurationException e = refused();

        assertThat(e.problems()).hasSize(1);
        assertThat(e.getMessage()).contains("mphub.destinations.analytics.retry.multiplier").contains("is not a number");
    }

    @Test
    void secretValueIsHiddenFromToString() throws IOException {
        String value = properties.get("mphub.destinations.payment.secret");

        assertThat(new Secret(value).toString()).doesNotContain(value).doesNotContain(value.substring(6));
        assertThat(load().toString()).doesNotContain(value.substring(6));
    }

    @Test
    void severalProblemsAreAllReportedInOneException() {
        int dispatchLine = edit(RouteFiles.DISPATCH_FILE, "constant: analytics", "constant: analytcs");
        int modeLine = throttleStep("totalrequests");
        properties.remove("mphub.destinations.logistics.url");
        properties.put("mphub.destinations.payment.secret", secret(8));
        properties.put("mphub.destinations.customer-service.url", "https://example.org/hook");

        ConfigurationException e = refused();

        assertThat(e.problems()).hasSize(5);
        assertThat(e.getMessage()).startsWith("5 configuration problems:")
                .contains(RouteFiles.DISPATCH_FILE + ":" + dispatchLine)
                .contains("deliver-batch.camel.yaml:" + modeLine)
                .contains("MPHUB_DESTINATIONS_LOGISTICS_URL")
                .contains("MPHUB_DESTINATIONS_PAYMENT_SECRET")
                .contains("host 'example.org'");
    }

    @Test
    void reverseGeocodingIsOffWithoutAKeyAndItsProblemsStopStartUpWithTheOthers() throws IOException {
        assertThat(enrichers(load())).isEmpty();

        properties.put("mphub.tencentmap.key", "GEOKE-YGEOK-EYGEO-KEYGE-OKEYG-EOKEY");
        properties.put("mphub.tencentmap.url", "https://apis.map.example.net");
        properties.remove("mphub.destinations.payment.secret");

        ConfigurationException e = refused();

        assertThat(e.getMessage()).contains("MPHUB_DESTINATIONS_PAYMENT_SECRET", "MPHUB_TENCENTMAP_SK",
                "host 'apis.map.example.net'").doesNotContain("GEOKE-YGEOK-EYGEO-KEYGE-OKEYG-EOKEY");

        properties.put("mphub.tencentmap.sk", "geo-sk-of-the-test");
        properties.put("mphub.tencentmap.url", "http://127.0.0.1:18080");
        properties.put("mphub.destinations.payment.secret", secret(32));
        assertThat(enrichers(load())).hasSize(1);
        Settings.Reader read = new Settings(key -> Optional.ofNullable(properties.get(key))).reader(new ArrayList<>());
        assertThat(TencentMapSettings.read(read, AllowedHosts.read(read))).hasValueSatisfying(t ->
                assertThat(t.url()).hasToString("http://127.0.0.1:18080"));
    }

    private static List<Enricher> enrichers(HubConfiguration config) {
        ProviderContext context = new ProviderContext(Clock.systemUTC(), new ObjectMapper(), null,
                new SimpleMeterRegistry());
        return config.providers().stream().flatMap(p -> p.enricher(context).stream()).toList();
    }

    @Test
    void missingRoutesDirectoryIsNamed() throws IOException {
        routes = tmp.resolve("nowhere");

        ConfigurationException e = refused();

        assertThat(e.getMessage()).contains("nowhere").contains("routes directory does not exist")
                .contains("MPHUB_ROUTES_DIR");
    }
}
