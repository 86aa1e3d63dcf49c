package io.mphub.deliver;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mphub.privacy.DataContract;
import io.mphub.testing.Audits;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a batch comes to for each answer a platform can give: who is delivered, who dead-lettered, in what requests. */
class BatchDeliveryTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Pauser pauser = new Pauser(camel, scheduler, HttpClient.newHttpClient(), Duration.ofHours(1),
            Duration.ofHours(1), Clock.systemUTC());
    /** Each request's event ids, in the order sent. */
    private final List<List<String>> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> deadLettered = new ConcurrentHashMap<>();
    private final List<ProducerRecord<String, byte[]>> audited = new CopyOnWriteArrayList<>();
    private final DestinationHealth health = new DestinationHealth();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private BatchDelivery delivery(int maxEvents, long maxBytes, Function<List<BatchEvent>, BatchOutcome> platform) {
        Destination d = destination(maxEvents, maxBytes);
        BatchKind kind = (http, batch) -> {
            requests.add(batch.stream().map(BatchEvent::id).toList());
            return platform.apply(batch);
        };
        BatchDelivery delivery = new BatchDelivery(Audits.privacy(), Audits.into(audited),
                (record, destination, why) -> deadLettered.put(String.valueOf(record.getMessage().getHeader("ce_id")),
                        why.reason()), pauser, new DeliveryLog(10), new Stopping(), new Random(1), Duration.ofSeconds(1),
                metrics, Clock.systemUTC(), new OwnedPartitions(() -> false));
        delivery.add(new BatchDelivery.Target(d, kind, null, health));
        return delivery;
    }

    private static Destination destination(int maxEvents, long maxBytes) {
        return new Destination("partner", "test", URI.create("http://127.0.0.1:9/"), 10, Duration.ofSeconds(1),
                new RetryPolicy(3, Duration.ofMillis(1), 2, Duration.ofMillis(2)), DataContract.WHOLE,
                new Destination.Batch(maxEvents, maxBytes, maxBytes, Duration.ofMillis(100)));
    }

    private Exchange batch(List<String> ids) {
        List<Exchange> records = new ArrayList<>();
        for (String id : ids) {
            Exchange record = new DefaultExchange(camel);
            record.getMessage().setHeader("ce_id", id);
            record.getMessage().setBody(("{\"id\":\"" + id + "\",\"data\":{}}").getBytes(StandardCharsets.UTF_8));
            records.add(record);
        }
        Exchange batch = new DefaultExchange(camel);
        batch.getMessage().setBody(records);
        return batch;
    }

    private static List<String> ids(int n) {
        return IntStream.range(0, n).mapToObj(i -> "e" + i).toList();
    }

    private static BatchOutcome all(Outcome outcome) {
        return new BatchOutcome.All(outcome);
    }

    private static final Outcome DELIVERED = new Outcome.Delivered(200);

    @Test
    void requestsAreCutByEventsAndBytesInOrder() {
        // Each event is 23 or 24 bytes: at most 4 of them fit 100 bytes.
        delivery(5, 100, b -> all(DELIVERED)).deliver(batch(ids(12)), "partner");
        assertThat(requests).allSatisfy(r -> assertThat(r).hasSizeLessThanOrEqualTo(4));
        assertThat(requests.stream().flatMap(List::stream)).containsExactlyElementsOf(ids(12));
        assertThat(deadLettered).isEmpty();
    }

    @Test
    void aRefusalBecauseOfOneEventIsSplitUntilItIsAloneAndOnlyItIsDeadLettered() {
        delivery(100, 1 << 20, b -> b.stream().anyMatch(e -> e.id().equals("e5"))
                ? all(new Outcome.Permanent("http_4xx", "HTTP 400")) : all(DELIVERED)).deliver(batch(ids(8)), "partner");
        assertThat(deadLettered).containsExactly(Map.entry("e5", "http_4xx"));
        assertThat(requests.get(0)).hasSize(8);
        assertThat(requests).contains(List.of("e5"));
        List<String> delivered = requests.stream().filter(r -> !r.contains("e5")).flatMap(List::stream).toList();
        assertThat(delivered).containsExactlyElementsOf(ids(8).stream().filter(id -> !id.equals("e5")).toList());
    }

    @Test
    void eventsThePlatformNamesAreDeadLetteredAndTheOthersAreNotSentAgain() {
        delivery(100, 1 << 20, b -> new BatchOutcome.Named(Map.of(1, new Outcome.Permanent("rejected", "bad page")),
                200)).deliver(batch(ids(3)), "partner");
        assertThat(deadLettered).containsExactly(Map.entry("e1", "rejected"));
        assertThat(requests).containsExactly(ids(3));
    }

    @Test
    void theAuditSaysWhichEventsWereTakenAndWhichWereSentButRefused() throws Exception {
        delivery(100, 1 << 20, b -> new BatchOutcome.Named(Map.of(1, new Outcome.Permanent("rejected", "bad page")),
                200)).deliver(batch(ids(3)), "partner");

        ObjectMapper json = new ObjectMapper();
        Map<String, List<String>> byOutcome = new TreeMap<>();
        for (ProducerRecord<String, byte[]> r : audited) {
            JsonNode record = json.readTree(r.value());
            assertThat(r.topic()).isEqualTo("mp.audit");
            byOutcome.put(record.path("outcome").asText() + " " + record.path("reason").asText(""),
                    record.path("events").findValuesAsText("id"));
        }
        assertThat(byOutcome).containsExactly(Map.entry("delivered ", List.of("e0", "e2")),
                Map.entry("failed rejected", List.of("e1")));
    }

    @Test
    void anEventTheKindCannotEncodeIsDeadLetteredInItsPlaceAndNeverSent() {
        BatchKind kind = new BatchKind() {
            @Override
            public Encoded encode(BatchEvent event) {
                return event.id().equals("e1") ? Encoded.refused(new Outcome.Permanent("missing_field", "no user"))
                        : Encoded.of(event.body());
            }

            @Override
            public BatchOutcome attempt(HttpClient http, List<BatchEvent> batch) {
                requests.add(batch.stream().map(BatchEvent::id).toList());
                return all(DELIVERED);
            }
        };
        BatchDelivery delivery = delivery(100, 1 << 20, b -> all(DELIVERED));
        delivery.add(new BatchDelivery.Target(destination(100, 1 << 20), kind, null, health));
        delivery.deliver(batch(ids(3)), "partner");
        assertThat(deadLettered).containsExactly(Map.entry("e1", "missing_field"));
        assertThat(requests).containsExactly(List.of("e0"), List.of("e2"));
    }

    @Test
    void anEventLargerThanTheDestinationTakesIsDeadLetteredWithoutBeingSent() {
        List<String> ids = new ArrayList<>(ids(2));
        ids.add("e-" + "x".repeat(200));
        delivery(100, 100, b -> all(DELIVERED)).deliver(batch(ids), "partner");
        assertThat(deadLettered).containsOnlyKeys(ids.get(2)).containsValue("too_large");
        assertThat(requests).containsExactly(ids(2));
    }

    @Test
    void aRecordThatCannotBeSentIsDeadLetteredInItsPlaceAfterWhatCameBeforeIt() {
        List<String> order = new CopyOnWriteArrayList<>();
        BatchDelivery delivery = new BatchDelivery(Audits.privacy(), Audits.none(),
                (record, destination, why) -> order.add("dead " + record.getMessage().getHeader("ce_id")),
                pauser, new DeliveryLog(10), new Stopping(), new Random(1), Duration.ofSeconds(1), metrics,
                Clock.systemUTC(), new OwnedPartitions(() -> false));
        delivery.add(new BatchDelivery.Target(destination(100, 100), (http, batch) -> {
                    order.add("sent " + batch.stream().map(BatchEvent::id).toList());
                    return all(DELIVERED);
                }, null, health));
        // Before a pause, offsets are committed up to the first unfinished record: a dead letter written ahead of
        // the events before it would be written again when they are read again.
        delivery.deliver(batch(List.of("e0", "e-" + "x".repeat(200), "e1")), "partner");
        assertThat(order).containsExactly("sent [e0]", "dead e-" + "x".repeat(200), "sent [e1]");
    }

    @Test
    void retriesSpentWhileTheDestinationWorksSplitTheRequestSoOnlyThePoisonIsDeadLettered() {
        BatchDelivery delivery = delivery(100, 1 << 20, b -> {
            if (b.stream().noneMatch(e -> e.id().equals("e2"))) {
                return all(DELIVERED);
            }
            // Meanwhile another consumer thread's request gets through: the destination works, so this request's
            // events are the problem.
            health.succeeded(System.nanoTime());
            return all(new Outcome.Retry("http_5xx", "HTTP 500", null));
        });
        delivery.deliver(batch(ids(4)), "partner");
        assertThat(deadLettered).containsExactly(Map.entry("e2", "retries_exhausted"));
        assertThat(requests.stream().filter(r -> !r.contains("e2")).flatMap(List::stream))
                .containsExactly("e0", "e1", "e3");
    }

    @Test
    void aDestinationThatIsDownPausesAndNothingIsDeadLettered() {
        BatchDelivery delivery = delivery(100, 1 << 20, b -> all(new Outcome.Retry("connection", "ConnectException",
                null)));
        assertThatThrownBy(() -> delivery.deliver(batch(ids(5)), "partner"))
                .isInstanceOf(DestinationPausedException.class);
        assertThat(pauser.isPaused("partner")).isTrue();
        assertThat(requests).hasSize(3).allSatisfy(r -> assertThat(r).isEqualTo(ids(5)));
        assertThat(deadLettered).isEmpty();
    }

    @Test
    void eachEventCountsOnceInTheAttemptMeters() {
        delivery(4, 1 << 20, b -> all(DELIVERED)).deliver(batch(ids(10)), "partner");
        assertThat(metrics.find("mphub.delivery.attempts").tags("destination", "partner", "outcome", "delivered")
                .counter().count()).isEqualTo(10);
    }
}
