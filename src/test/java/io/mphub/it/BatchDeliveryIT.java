package io.mphub.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.testing.Events;
import io.mphub.testing.Receiver;
import io.mphub.testing.Receiver.Answer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.mphub.testing.TestKafka.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The analytics destination as it ships: behaviour events delivered in signed CloudEvents batches, through the real
 * broker, to a receiver that verifies every request's Standard Webhooks signature. Each test's event ids say how the
 * receiver treats a request that carries them.
 */
class BatchDeliveryIT {

    private static final int MAX_EVENTS = 10;
    private static final int MAX_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final HubFixture fixture = new HubFixture();

    @BeforeAll
    static void start() {
        Receiver analytics = fixture.receiver("analytics");
        analytics.answer(a -> {
            List<String> ids = a.eventIds();
            if (ids.stream().anyMatch(id -> id.startsWith("bad-"))) {
                return Answer.of(400);
            }
            if (ids.stream().anyMatch(id -> id.startsWith("big-")) && ids.size() > 3) {
                return Answer.of(413);
            }
            boolean firstAttempt = analytics.posts().stream().noneMatch(p -> a.webhookId().equals(p.webhookId()));
            if (ids.stream().anyMatch(id -> id.startsWith("flaky-")) && firstAttempt) {
                return Answer.of(500);
            }
            if (ids.contains("named-3")) {
                return Answer.json(200, "{\"rejected\":[{\"id\":\"named-3\",\"reason\":\"unknown page\"}]}");
            }
            return Answer.of(204);
        });
        fixture.startHub(Map.of(
                "mphub.destinations.analytics.batch.max-events", String.valueOf(MAX_EVENTS),
                "mphub.destinations.analytics.batch.max-bytes", String.valueOf(MAX_BYTES),
                "mphub.destinations.analytics.batch.max-wait-ms", "200",
                "mphub.delivery.retry.max-attempts", "4"));
    }

    @Test
    void eventsArriveAsSignedCloudEventBatchesOfAtMostTheSettingsEachInItsUsersOrder() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String u = "oBatchUser" + (i % 3);
            String id = "order-" + i;
            ids.add(id);
            behaviour(id, u, "pages/index/index");
        }
        Receiver analytics = fixture.receiver("analytics");
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(analytics.delivered()).containsAll(ids));

        List<Receiver.Arrival> requests = analytics.posts().stream()
                .filter(a -> a.eventIds().stream().anyMatch(ids::contains)).toList();
        assertThat(requests).allSatisfy(a -> {
            assertThat(a.signatureValid()).isTrue();
            assertThat(a.batch()).isTrue();
            assertThat(a.eventIds()).hasSizeBetween(1, MAX_EVENTS);
            assertThat(a.body().length).isLessThanOrEqualTo(MAX_BYTES + 2);
            // Each event of the batch is the structured CloudEvent, with its own id.
            JsonNode events = JSON.readTree(a.body());
            assertThat(events.isArray()).isTrue();
            events.forEach(e -> assertThat(e.path("specversion").asText()).isEqualTo("1.0"));
        });
        assertThat(requests.size()).as("batched, not one request per event").isLessThan(ids.size());
        // The webhook-id is derived from the events it carries: no two requests of different events share one.
        assertThat(requests.stream().map(Receiver.Arrival::webhookId).distinct().count()).isEqualTo(requests.size());
        for (int u = 0; u < 3; u++) {
            String user = "oBatchUser" + u;
            List<String> sent = IntStream.range(0, 60).filter(i -> ("oBatchUser" + (i % 3)).equals(user))
                    .mapToObj(i -> "order-" + i).toList();
            assertThat(analytics.delivered().stream().filter(sent::contains).distinct().toList())
                    .as("%s's events in the order published", user).containsExactlyElementsOf(sent);
        }
    }

    @Test
    void aBatchRefusedBecauseOfOneEventIsSplitUntilOnlyThatEventIsDeadLettered() {
        List<String> good = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            good.add("good-" + i);
            behaviour("good-" + i, "oSplitUser", "pages/index/index");
            if (i == 4) {
                behaviour("bad-1", "oSplitUser", "pages/index/index");
            }
        }
        ConsumerRecord<String, byte[]> dead = deadLetter("bad-1");
        assertThat(header(dead, "mphub.error.reason")).isEqualTo("http_4xx");
        assertThat(header(dead, "mphub.destination")).isEqualTo("analytics");
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).contains("\"id\":\"bad-1\"");
        // The original record's own headers: the batch consumer leaves them on the record (UncopiedHeaders), and
        // DeadLetters takes them from there.
        assertThat(header(dead, "ce_type")).isEqualTo("mp.behaviour.page_view");
        assertThat(header(dead, "content-type")).isEqualTo("application/cloudevents+json");
        assertThat(dead.key()).isEqualTo("oSplitUser");
        Receiver analytics = fixture.receiver("analytics");
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(analytics.delivered()).containsAll(good));
        assertThat(analytics.delivered()).doesNotContain("bad-1");
        assertThat(deadLetters()).noneMatch(r -> header(r, "ce_id").startsWith("good-"));
    }

    @Test
    void aBatchTooLargeForTheReceiverIsSplitAndNothingIsLost() {
        List<String> ids = IntStream.range(0, 8).mapToObj(i -> "big-" + i).toList();
        ids.forEach(id -> behaviour(id, "oBigUser", "pages/index/index"));
        Receiver analytics = fixture.receiver("analytics");
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(analytics.delivered()).containsAll(ids));
        assertThat(analytics.posts().stream().filter(a -> a.answeredStatus() / 100 == 2)
                .filter(a -> a.eventIds().stream().anyMatch(ids::contains)))
                .allSatisfy(a -> assertThat(a.eventIds()).hasSizeLessThanOrEqualTo(3));
        assertThat(deadLetters()).noneMatch(r -> header(r, "ce_id").startsWith("big-"));
    }

    @Test
    void aBatchRetriedAfterAServerErrorCarriesTheSameWebhookIdAndBody() {
        List<String> ids = List.of("flaky-1", "flaky-2", "flaky-3");
        ids.forEach(id -> behaviour(id, "oFlakyUser", "pages/index/index"));
        Receiver analytics = fixture.receiver("analytics");
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(analytics.delivered()).containsAll(ids));
        List<Receiver.Arrival> attempts = analytics.attemptsOf("flaky-1");
        assertThat(attempts).extracting(Receiver.Arrival::answeredStatus).containsExactly(500, 204);
        assertThat(attempts.get(1).webhookId()).isEqualTo(attempts.get(0).webhookId()).startsWith("batch_");
        assertThat(attempts.get(1).bodyText()).isEqualTo(attempts.get(0).bodyText());
        assertThat(attempts).allSatisfy(a -> assertThat(a.signatureValid()).isTrue());
    }

    @Test
    void eventsTheReceiverNamesAsRefusedAreDeadLetteredAndTheOthersDeliveredOnce() {
        List<String> ids = IntStream.range(0, 6).mapToObj(i -> "named-" + i).toList();
        ids.forEach(id -> behaviour(id, "oNamedUser", "pages/index/index"));
        ConsumerRecord<String, byte[]> dead = deadLetter("named-3");
        assertThat(header(dead, "mphub.error.reason")).isEqualTo("rejected");
        assertThat(header(dead, "mphub.error.message")).contains("unknown page");
        Receiver analytics = fixture.receiver("analytics");
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(analytics.delivered())
                .containsAll(ids.stream().filter(id -> !id.equals("named-3")).toList()));
        for (String id : ids) {
            assertThat(analytics.attemptsOf(id)).as(id).hasSize(1);
        }
    }

    @Test
    void anEventLargerThanTheDestinationTakesIsDeadLetteredAtOnceAsTooLarge() {
        // Larger than the contract lets through ingest: written to the outbox as the hub writes it, as a record
        // dispatched under an older, looser contract would be.
        fixture.kafka.publish("mp.out.analytics", "oHugeUser", Events.structured("huge-1", "mp.behaviour.page_view",
                "oHugeUser", Events.behaviour("oHugeUser", "pages/" + "x".repeat(MAX_BYTES) + "/index"))
                .getBytes(StandardCharsets.UTF_8), Map.of("ce_id", "huge-1", "ce_type", "mp.behaviour.page_view"));
        behaviour("after-huge-1", "oHugeUser", "pages/index/index");
        ConsumerRecord<String, byte[]> dead = deadLetter("huge-1");
        assertThat(header(dead, "mphub.error.reason")).isEqualTo("too_large");
        Receiver analytics = fixture.receiver("analytics");
        await().atMost(60, TimeUnit.SECONDS).until(() -> analytics.delivered().contains("after-huge-1"));
        assertThat(analytics.attemptsOf("huge-1")).isEmpty();
    }

    private static void behaviour(String id, String user, String page) {
        fixture.kafka.publish("mp.events.behaviour", user, Events.structured(id, "mp.behaviour.page_view", user,
                Events.behaviour(user, page)));
    }

    private static List<ConsumerRecord<String, byte[]>> deadLetters() {
        return fixture.kafka.readAll("mp.dlq.analytics");
    }

    private static ConsumerRecord<String, byte[]> deadLetter(String id) {
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.readAll("mp.dlq.analytics").stream().anyMatch(r -> id.equals(header(r, "ce_id"))));
        return deadLetters().stream().filter(r -> id.equals(header(r, "ce_id"))).findFirst().orElseThrow();
    }
}
