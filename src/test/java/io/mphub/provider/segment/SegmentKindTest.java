package io.mphub.provider.segment;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import io.mphub.testing.SegmentSandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** Kind segment's attempts against a local Segment HTTP API that checks auth and format as Segment documents them. */
class SegmentKindTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WRITE_KEY = "wk-9f3c2d1e";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T02:00:09Z"), ZoneOffset.UTC);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private SegmentSandbox sandbox;

    @BeforeEach
    void start() throws Exception {
        sandbox = SegmentSandbox.start(WRITE_KEY);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private SegmentKind kind(String url, String writeKey) {
        Destination d = new Destination("segment", SegmentProvider.KIND, URI.create(url), 10, Duration.ofSeconds(2),
                new RetryPolicy(1, Duration.ZERO, 1, Duration.ZERO), DataContract.WHOLE);
        HttpAnswers answers = new HttpAnswers(CLOCK);
        return new SegmentKind(d, new Secret(writeKey), new SegmentMessages(JSON,
                new EventNames(Map.of("mp.order.paid", "Order Completed")), "test"),
                new SegmentAnswers(answers, d.name()), new ProviderCall(answers), CLOCK, "test");
    }

    private SegmentKind kind() {
        return kind(sandbox.url(), WRITE_KEY);
    }

    /** {@code n} paid orders, encoded as the core hands them to the kind. */
    private List<BatchEvent> events(int n) {
        List<BatchEvent> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "sg-" + i;
            String json = Events.structured(id, "mp.order.paid", "oUser" + i, Events.orderPaid("oUser" + i, "O-" + i))
                    .replaceFirst("\"time\":\"[^\"]+\"", "\"time\":\"2026-03-01T10:00:00.5+08:00\"");
            batch.add(new BatchEvent(id, "mp.order.paid", json.getBytes(UTF_8)));
        }
        return Batches.encoded(kind(), batch);
    }

    @Test
    void aBatchArrivesWithBasicAuthAndOneTrackMessagePerEvent() throws Exception {
        assertThat(kind().attempt(http, events(2))).isEqualTo(new BatchOutcome.All(new Outcome.Delivered(200)));

        assertThat(sandbox.requests()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/v1/batch");
            assertThat(r.auth()).isEqualTo("basic");
            assertThat(r.body().has("writeKey")).isFalse();
            assertThat(r.eventIds()).containsExactly("sg-0", "sg-1");
            assertThat(r.body().get("sentAt").asText()).isEqualTo("2026-03-01T02:00:09.000Z");
            assertThat(r.body().at("/context/library/name").asText()).isEqualTo("mphub");
            com.fasterxml.jackson.databind.JsonNode m = r.messages().get(1);
            assertThat(m.get("type").asText()).isEqualTo("track");
            assertThat(m.get("event").asText()).isEqualTo("Order Completed");
            assertThat(m.get("userId").asText()).isEqualTo("oUser1");
            assertThat(m.get("timestamp").asText()).isEqualTo("2026-03-01T02:00:00.500Z");
            assertThat(m.at("/properties/amount/total").asInt()).isEqualTo(1999);
            assertThat(m.at("/context/library/name").asText()).isEqualTo("mphub");
        });
    }

    @Test
    void aRefusedWriteKeyPausesTheDestinationNamingTheSettingButNotTheKey() throws Exception {
        BatchOutcome outcome = kind(sandbox.url(), "wrong-" + WRITE_KEY).attempt(http, events(1));

        assertThat(outcome).isInstanceOfSatisfying(BatchOutcome.All.class, all -> assertThat(all.outcome())
                .isInstanceOfSatisfying(Outcome.Refused.class, r -> {
                    assertThat(r.reason()).isEqualTo("segment_write_key");
                    assertThat(r.message()).contains("MPHUB_DESTINATIONS_SEGMENT_WRITE_KEY").doesNotContain(WRITE_KEY);
                }));
    }

    @Test
    void aRefusedMessageMakesTheBatchPermanentSoTheCoreSplitsIt() throws Exception {
        sandbox.refuse(Set.of("sg-1"));

        assertThat(kind().attempt(http, events(3))).isEqualTo(
                new BatchOutcome.All(new Outcome.Permanent("http_4xx", "HTTP 400")));
    }

    @Test
    void statusesMeanWhatTheBriefSays() throws Exception {
        sandbox.thenAnswer(413).thenAnswer(429, "3").thenAnswer(429).thenAnswer(502);

        assertThat(kind().attempt(http, events(1))).isEqualTo(
                new BatchOutcome.All(new Outcome.Permanent("too_large", "HTTP 413")));
        assertThat(kind().attempt(http, events(1))).isEqualTo(
                new BatchOutcome.All(new Outcome.Retry("http_429", "HTTP 429", Duration.ofSeconds(3))));
        // RudderStack's 429 has no Retry-After: the destination's own backoff applies
        assertThat(kind().attempt(http, events(1))).isEqualTo(
                new BatchOutcome.All(new Outcome.Retry("http_429", "HTTP 429", null)));
        assertThat(kind().attempt(http, events(1))).isEqualTo(
                new BatchOutcome.All(new Outcome.Retry("http_5xx", "HTTP 502", null)));
    }

    @Test
    void anEventWithoutAUserIsRefusedWhenEncodedAndNeverSent() {
        BatchKind.Encoded encoded = kind().encode(new BatchEvent("nobody", "mp.behaviour.tap", Events.structured("nobody",
                "mp.behaviour.tap", "", "{\"page\":\"p\"}").getBytes(UTF_8)));
        assertThat(encoded.bytes()).isNull();
        assertThat(encoded.problem().reason()).isEqualTo("missing_field");
        assertThat(sandbox.requests()).isEmpty();
    }

    @Test
    void limitsAreSegmentsAndAnEventIsEncodedAsItsMessage() throws Exception {
        assertThat(SegmentKind.LIMITS.maxEventBytes()).isEqualTo(32 * 1024);
        assertThat(SegmentKind.LIMITS.maxBytes()).isLessThan(500 * 1024);
        JsonNode message = JSON.readTree(events(1).get(0).body());
        assertThat(message.path("messageId").asText()).isEqualTo("sg-0");
        assertThat(message.path("type").asText()).isEqualTo("track");
        assertThat(message.path("event").asText()).isEqualTo("Order Completed");
    }

    @Test
    void anUnmappedTypeGoesByItsShortName() {
        SegmentMessages messages = new SegmentMessages(JSON, new EventNames(Map.of()), "test");
        BatchEvent login = new BatchEvent("l-1", "mp.user.login", Events.structured("l-1", "mp.user.login", "oU",
                Events.login("oU")).getBytes(UTF_8));

        assertThat(messages.message(login).record().get("event").asText()).isEqualTo("user_login");
    }
}
