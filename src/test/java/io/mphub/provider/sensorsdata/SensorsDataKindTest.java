package io.mphub.provider.sensorsdata;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.config.Secret;
import io.mphub.deliver.BatchEvent;
import io.mphub.deliver.BatchKind;
import io.mphub.deliver.BatchOutcome;
import io.mphub.deliver.Destination;
import io.mphub.deliver.HttpAnswers;
import io.mphub.deliver.Outcome;
import io.mphub.deliver.RetryPolicy;
import io.mphub.privacy.DataContract;
import io.mphub.provider.EventNames;
import io.mphub.provider.ProviderCall;
import io.mphub.testing.Batches;
import io.mphub.testing.Events;
import io.mphub.testing.SensorsDataSandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** Kind sensorsdata's attempts against a local collector that decodes and checks what arrives as Sensors Data does. */
class SensorsDataKindTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "sd-token-5f1e9a";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private SensorsDataSandbox sandbox;

    @BeforeEach
    void start() throws Exception {
        sandbox = SensorsDataSandbox.start("production", TOKEN, 0);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private static Destination destination(String url) {
        return new Destination("analytics", SensorsDataProvider.KIND, URI.create(url), 10, Duration.ofSeconds(2),
                new RetryPolicy(1, Duration.ZERO, 1, Duration.ZERO), DataContract.WHOLE);
    }

    /** Pointed at the sandbox's host with the project and token from the settings, as configure does. */
    private SensorsDataKind kind(String url, Optional<String> project, Optional<Secret> token) {
        Destination d = destination(url);
        HttpAnswers answers = new HttpAnswers(Clock.systemUTC());
        return new SensorsDataKind(d, SensorsDataProvider.endpoint(d.url(), project, token),
                new SensorsDataRecords(JSON, new EventNames(Map.of("mp.behaviour.page_view", "$MPViewScreen")), "test"),
                new SensorsDataAnswers(answers, d.name()), new ProviderCall(answers), "test");
    }

    private SensorsDataKind kind() {
        return kind(sandbox.url(), Optional.empty(), Optional.of(new Secret(TOKEN)));
    }

    /** {@code n} page views, encoded as the core hands them to the kind. */
    private List<BatchEvent> events(int n) {
        List<BatchEvent> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "sd-" + i;
            batch.add(new BatchEvent(id, "mp.behaviour.page_view", Events.structured(id, "mp.behaviour.page_view",
                    "oUser" + i, Events.behaviour("oUser" + i, "pages/p" + i)).getBytes(UTF_8)));
        }
        return Batches.encoded(kind(), batch);
    }

    @Test
    void aBatchArrivesAsOneRequestWhoseDataListDecodesToItsRecordsInOrder() throws Exception {
        BatchOutcome outcome = kind().attempt(http, events(3));

        assertThat(outcome).isEqualTo(new BatchOutcome.All(new Outcome.Delivered(200)));
        assertThat(sandbox.requests()).singleElement().satisfies(r -> {
            assertThat(r.gzip()).isEqualTo("1");
            assertThat(r.query()).containsEntry("project", "production").containsEntry("token", TOKEN);
            assertThat(r.eventIds()).containsExactly("sd-0", "sd-1", "sd-2");
            assertThat(r.records()).allSatisfy(rec -> assertThat(rec.get("event").asText()).isEqualTo("$MPViewScreen"));
            assertThat(r.records().get(1).get("distinct_id").asText()).isEqualTo("oUser1");
        });
    }

    @Test
    void theProjectSettingReplacesTheUrlsProject() throws Exception {
        SensorsDataKind elsewhere = kind(sandbox.base() + "/sa?project=default&x=1", Optional.of("production"),
                Optional.of(new Secret(TOKEN)));

        assertThat(elsewhere.attempt(http, events(1))).isEqualTo(new BatchOutcome.All(new Outcome.Delivered(200)));
        assertThat(sandbox.requests().get(0).query()).containsEntry("project", "production").containsEntry("x", "1");
    }

    @Test
    void aWrongProjectOrTokenPausesTheDestinationNamingTheSettingsButNotTheToken() throws Exception {
        BatchOutcome wrongToken = kind(sandbox.url(), Optional.empty(), Optional.of(new Secret("not-" + TOKEN)))
                .attempt(http, events(2));
        BatchOutcome wrongProject = kind(sandbox.url(), Optional.of("staging"), Optional.of(new Secret(TOKEN)))
                .attempt(http, events(2));

        assertThat(List.of(wrongToken, wrongProject)).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(
                BatchOutcome.All.class, all -> assertThat(all.outcome()).isInstanceOfSatisfying(Outcome.Refused.class,
                        r -> {
                            assertThat(r.reason()).isEqualTo("sensorsdata_refused");
                            assertThat(r.message()).contains("MPHUB_DESTINATIONS_ANALYTICS_TOKEN",
                                    "MPHUB_DESTINATIONS_ANALYTICS_PROJECT").doesNotContain(TOKEN);
                            assertThat(r.window()).isEqualTo(Duration.ofMinutes(10));
                        })));
        assertThat(sandbox.requests()).extracting(SensorsDataSandbox.Request::status).containsExactly(401, 403);
    }

    @Test
    void aRefusedRecordMakesTheBatchPermanentSoTheCoreSplitsIt() throws Exception {
        sandbox.refuse(Set.of("sd-1"));

        assertThat(kind().attempt(http, events(3))).isEqualTo(
                new BatchOutcome.All(new Outcome.Permanent("http_4xx", "HTTP 400")));
        assertThat(kind().attempt(http, events(1))).isEqualTo(new BatchOutcome.All(new Outcome.Delivered(200)));
    }

    @Test
    void tooLargeIsPermanentWithReasonTooLarge() throws Exception {
        sandbox.maxBodyBytes(100);

        assertThat(kind().attempt(http, events(5))).isEqualTo(
                new BatchOutcome.All(new Outcome.Permanent("too_large", "HTTP 413")));
    }

    @Test
    void busyAndServerErrorsAreRetriedHonouringRetryAfter() throws Exception {
        sandbox.thenAnswer(429, "7").thenAnswer(503).thenAnswer(500);

        assertThat(kind().attempt(http, events(1))).isEqualTo(
                new BatchOutcome.All(new Outcome.Retry("http_429", "HTTP 429", Duration.ofSeconds(7))));
        assertThat(kind().attempt(http, events(1))).isEqualTo(
                new BatchOutcome.All(new Outcome.Retry("http_503", "HTTP 503", null)));
        assertThat(kind().attempt(http, events(1))).isEqualTo(
                new BatchOutcome.All(new Outcome.Retry("http_5xx", "HTTP 500", null)));
    }

    @Test
    void anUnreachableCollectorIsRetriedWithoutTheUrlOrTokenInTheMessage() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        BatchOutcome outcome = kind("http://127.0.0.1:" + closed + "/sa?project=production", Optional.empty(),
                Optional.of(new Secret(TOKEN))).attempt(http, events(1));

        assertThat(outcome).isInstanceOfSatisfying(BatchOutcome.All.class, all -> assertThat(all.outcome())
                .isInstanceOfSatisfying(Outcome.Retry.class, r -> assertThat(r.message()).doesNotContain(TOKEN, "?")));
    }

    @Test
    void anEventThatCannotBeARecordIsRefusedWhenEncodedAndNeverSent() {
        BatchKind.Encoded encoded = kind().encode(new BatchEvent("bad", "mp.behaviour.tap", "{not json".getBytes(UTF_8)));
        assertThat(encoded.bytes()).isNull();
        assertThat(encoded.problem().reason()).isEqualTo("unreadable_event");
        assertThat(sandbox.requests()).isEmpty();
    }

    @Test
    void anEventIsEncodedAsItsTrackRecordAndFiftyEventsIsTheMost() throws Exception {
        JsonNode record = JSON.readTree(events(1).get(0).body());
        assertThat(record.path("type").asText()).isEqualTo("track");
        assertThat(record.path("distinct_id").asText()).isEqualTo("oUser0");
        assertThat(SensorsDataKind.LIMITS.maxEvents()).isEqualTo(50);
    }

    @Test
    void theEndpointKeepsThePathAndAddsProjectAndToken() {
        assertThat(SensorsDataProvider.endpoint(URI.create("https://sa.example.com:8106/sa?project=default"),
                Optional.of("prod"), Optional.of(new Secret("a b")))).hasToString(
                "https://sa.example.com:8106/sa?project=prod&token=a+b");
        assertThat(SensorsDataProvider.endpoint(URI.create("https://sa.example.com/sa"), Optional.empty(),
                Optional.empty())).hasToString("https://sa.example.com/sa");
    }
}
