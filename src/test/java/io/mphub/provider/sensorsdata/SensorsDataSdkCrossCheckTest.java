package io.mphub.provider.sensorsdata;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sensorsdata.analytics.javasdk.SensorsAnalytics;
import com.sensorsdata.analytics.javasdk.consumer.BatchConsumer;
import io.mphub.deliver.BatchEvent;
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

/**
 * What kind sensorsdata sends, next to what Sensors Data's own Java SDK (sa-sdk-java 3.4.0, its BatchConsumer) sends
 * for the same events, both decoded by the same local collector. The properties are given to the SDK as an analyst
 * would read the events (written out here, not taken from the hub's code). Fields that legitimately differ:
 * {@code _track_id} (the SDK's is random per record; the hub's is derived from the event id), {@code $lib} and
 * {@code $lib_version} (who sent it), {@code lib.$lib_detail} (the SDK's caller, from a stack trace).
 */
class SensorsDataSdkCrossCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WHO_SENT = Set.of("$lib", "$lib_version");
    private SensorsDataSandbox sandbox;

    @BeforeEach
    void start() throws Exception {
        sandbox = SensorsDataSandbox.start("production");
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void theHubsRecordsDecodeToWhatTheSdkSendsForTheSameEvents() throws Exception {
        Instant t1 = Instant.parse("2026-03-01T02:00:00.250Z");
        Instant t2 = Instant.parse("2026-03-01T02:00:05Z");
        String pageView = Events.structured("x-1", "mp.behaviour.page_view", "oUserA", Events.behaviour("oUserA",
                "pages/index/index")).replaceFirst("\"time\":\"[^\"]+\"", "\"time\":\"" + t1 + "\"");
        String paid = Events.structured("x-2", "mp.order.paid", "oUserB", Events.orderPaid("oUserB", "O-7"))
                .replaceFirst("\"time\":\"[^\"]+\"", "\"time\":\"2026-03-01T10:00:05+08:00\"");

        // The hub's kind.
        Destination d = new Destination("analytics", SensorsDataProvider.KIND, java.net.URI.create(sandbox.url()), 10,
                Duration.ofSeconds(2), new RetryPolicy(1, Duration.ZERO, 1, Duration.ZERO), DataContract.WHOLE);
        HttpAnswers answers = new HttpAnswers(Clock.systemUTC());
        SensorsDataKind kind = new SensorsDataKind(d, SensorsDataProvider.endpoint(d.url(), Optional.empty(),
                Optional.empty()), new SensorsDataRecords(JSON, new EventNames(Map.of("mp.behaviour.page_view",
                "$MPViewScreen")), "test"), new SensorsDataAnswers(answers, d.name()), new ProviderCall(answers), "test");
        BatchOutcome outcome = kind.attempt(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                Batches.encoded(kind, List.of(new BatchEvent("x-1", "mp.behaviour.page_view", pageView.getBytes(UTF_8)),
                        new BatchEvent("x-2", "mp.order.paid", paid.getBytes(UTF_8)))));
        assertThat(outcome).isEqualTo(new BatchOutcome.All(new Outcome.Delivered(200)));

        // The SDK, for the same two events.
        SensorsAnalytics sdk = new SensorsAnalytics(new BatchConsumer(sandbox.url(), 50, true));
        Map<String, Object> view = new HashMap<>();
        view.put("$time", Date.from(t1));
        view.put("appId", Events.APP);
        view.put("openId", "oUserA");
        view.put("page", "pages/index/index");
        view.put("durationMs", 1200);
        view.put("mphub_event_id", "x-1");
        sdk.track("oUserA", false, "$MPViewScreen", view);
        Map<String, Object> order = new HashMap<>();
        order.put("$time", Date.from(t2));
        order.put("appId", Events.APP);
        order.put("openId", "oUserB");
        order.put("orderId", "O-7");
        order.put("transactionId", "4200001234202611240000000001");
        order.put("amount_total", 1999);
        order.put("amount_currency", "CNY");
        order.put("mphub_event_id", "x-2");
        sdk.track("oUserB", false, "order_paid", order);
        sdk.flush();

        List<SensorsDataSandbox.Request> requests = sandbox.requests();
        assertThat(requests).hasSize(2).allSatisfy(r -> {
            assertThat(r.status()).as(String.valueOf(r.problem())).isEqualTo(200);
            assertThat(r.gzip()).isEqualTo("1");
            assertThat(r.headers().get("content-type")).startsWith("application/x-www-form-urlencoded");
            assertThat(r.query()).containsEntry("project", "production");
        });
        List<JsonNode> hub = requests.get(0).records();
        List<JsonNode> theirs = requests.get(1).records();
        assertThat(hub).hasSameSizeAs(theirs);
        for (int i = 0; i < hub.size(); i++) {
            assertSameRecord(hub.get(i), theirs.get(i));
        }
    }

    private static void assertSameRecord(JsonNode hub, JsonNode sdk) {
        assertThat(fieldNames(hub)).as("top-level fields").isEqualTo(fieldNames(sdk));
        for (String field : List.of("type", "event", "distinct_id", "time")) {
            assertThat(hub.get(field)).as(field).isEqualTo(sdk.get(field));
        }
        assertThat(hub.get("_track_id").isInt()).isTrue();
        assertThat(sdk.get("_track_id").isInt()).isTrue();
        ObjectNode hubProperties = hub.get("properties").deepCopy();
        ObjectNode sdkProperties = sdk.get("properties").deepCopy();
        assertThat(sdkProperties.get("$lib").asText()).isEqualTo("Java");
        assertThat(hubProperties.get("$lib").asText()).isEqualTo("mphub");
        hubProperties.remove(WHO_SENT);
        sdkProperties.remove(WHO_SENT);
        assertThat(hubProperties).as("properties").isEqualTo(sdkProperties);
        assertThat(fieldNames(hub.get("lib"))).containsExactlyInAnyOrderElementsOf(
                fieldNames(sdk.get("lib")).stream().filter(f -> !f.equals("$lib_detail")).toList());
        assertThat(hub.get("lib").get("$lib_method")).isEqualTo(sdk.get("lib").get("$lib_method"));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
