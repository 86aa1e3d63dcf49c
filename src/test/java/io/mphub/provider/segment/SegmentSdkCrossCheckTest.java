package io.mphub.provider.segment;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.segment.analytics.Analytics;
import com.segment.analytics.messages.TrackMessage;
import io.mphub.config.Secret;
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
import io.mphub.testing.SegmentSandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What kind segment sends, next to what Segment's own Java SDK (analytics-java 3.5.1) sends for the same track calls,
 * both received by the same local Segment API. They legitimately differ in: the path (the SDK posts to
 * {@code /v1/import/}, the hub to {@code /v1/batch}); the auth (the SDK 3.5 puts {@code writeKey} in the body, the hub
 * uses HTTP Basic as Segment's HTTP API documentation describes; the sandbox takes both, as Segment does); the
 * library named in {@code context}; and the SDK's own {@code sequence} and {@code sentAt}.
 */
class SegmentSdkCrossCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WRITE_KEY = "wk-cross-check-41a7";
    private SegmentSandbox sandbox;

    @BeforeEach
    void start() throws Exception {
        sandbox = SegmentSandbox.start(WRITE_KEY);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void theHubsMessagesCarryWhatTheSdkSendsForTheSameTrackCalls() throws Exception {
        Instant time = Instant.parse("2026-03-01T02:00:00.250Z");
        String data = Events.orderPaid("oUserB", "O-7");
        String event = Events.structured("seg-1", "mp.order.paid", "oUserB", data)
                .replaceFirst("\"time\":\"[^\"]+\"", "\"time\":\"" + time + "\"");

        Destination d = new Destination("segment", SegmentProvider.KIND, URI.create(sandbox.url()), 10,
                Duration.ofSeconds(2), new RetryPolicy(1, Duration.ZERO, 1, Duration.ZERO), DataContract.WHOLE);
        HttpAnswers answers = new HttpAnswers(Clock.systemUTC());
        SegmentKind kind = new SegmentKind(d, new Secret(WRITE_KEY), new SegmentMessages(JSON,
                new EventNames(Map.of("mp.order.paid", "Order Completed")), "test"), new SegmentAnswers(answers,
                d.name()), new ProviderCall(answers), Clock.systemUTC(), "test");
        assertThat(kind.attempt(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                Batches.encoded(kind, List.of(new BatchEvent("seg-1", "mp.order.paid", event.getBytes(UTF_8))))))
                .isEqualTo(new BatchOutcome.All(new Outcome.Delivered(200)));

        Analytics sdk = Analytics.builder(WRITE_KEY).endpoint(sandbox.url()).build();
        sdk.enqueue(TrackMessage.builder("Order Completed").userId("oUserB").messageId("seg-1")
                .timestamp(Date.from(time)).properties(JSON.readValue(data, new TypeReference<Map<String, Object>>() {
                })));
        sdk.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.requests().size() == 2);
        sdk.shutdown();

        SegmentSandbox.Request hub = sandbox.requests().get(0);
        SegmentSandbox.Request theirs = sandbox.requests().get(1);
        assertThat(List.of(hub, theirs)).allSatisfy(r -> assertThat(r.status()).as(String.valueOf(r.problem()))
                .isEqualTo(200));
        assertThat(hub.auth()).isEqualTo("basic");
        assertThat(theirs.auth()).isEqualTo("body");
        assertThat(theirs.path()).startsWith("/v1/import");
        assertThat(hub.path()).isEqualTo("/v1/batch");
        assertThat(hub.headers().get("content-type")).startsWith("application/json");
        assertThat(theirs.headers().get("content-type")).startsWith("application/json");

        JsonNode ours = hub.messages().get(0);
        JsonNode sdks = theirs.messages().get(0);
        for (String field : List.of("type", "messageId", "userId", "event", "properties")) {
            assertThat(ours.get(field)).as(field).isEqualTo(sdks.get(field));
        }
        assertThat(Instant.parse(ours.get("timestamp").asText())).isEqualTo(Instant.parse(sdks.get("timestamp").asText()));
        assertThat(hub.body().has("sentAt")).isTrue();
        assertThat(theirs.body().has("sentAt")).isTrue();
        assertThat(hub.body().at("/context/library/name").asText()).isEqualTo("mphub");
        assertThat(theirs.body().at("/context/library/name").asText()).isEqualTo("analytics-java");
    }
}
