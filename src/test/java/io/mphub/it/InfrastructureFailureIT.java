package io.mphub.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.mphub.deadletter.DeadLetters;
import io.mphub.kafka.CommitAfterFlush;
import io.mphub.kafka.OutboxWriteException;
import io.mphub.testing.Events;
import io.mphub.testing.LogCapture;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.mphub.testing.TestKafka.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A failure of the hub's own infrastructure is retried (the record is read again), never dead-lettered: a dead-letter
 * topic holds only records that are bad or undeliverable, never one that would have gone through. And a partition that
 * cannot get past a record is never silent: readiness fails and names it, a metric counts it, and the log says it
 * once, then once a minute, and once when it moves again. The hub's own commit step and dead-letter writer fail on
 * cue here (beans of the test's put in their place), through the real broker and the real error-handling route file.
 */
class InfrastructureFailureIT {

    @RegisterExtension
    final HubFixture fixture = new HubFixture();

    @Test
    void aCommitThatTimesOutIsReadAgainNotDeadLettered() throws Exception {
        FailingCommits commits = new FailingCommits("infra-1");
        fixture.startHub(Map.of(), camel -> commits.replace(camel.getRegistry()
                .lookupByNameAndType("offsets", CommitAfterFlush.class), camel));
        String u = "oInfraUser1";
        fixture.kafka.publish("mp.events.login", u, Events.structured("infra-1", "mp.user.login", u, Events.login(u)));

        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.receiver("analytics").delivered().contains("infra-1"));
        assertThat(commits.failed.get()).isEqualTo(1);
        assertThat(fixture.kafka.read("mp.dlq.ingest", 1, Duration.ofSeconds(3))).isEmpty();
        assertThat(fixture.hub.metric("mphub_infrastructure_failures_total{error=\"TimeoutException\",route=\"ingest\"}"))
                .isEqualTo(1);
    }

    @Test
    void aDeadLetterThatCannotBeWrittenHoldsItsPartitionVisiblyUntilItCan() throws Exception {
        FailingDeadLetters deadLetters = new FailingDeadLetters();
        LogCapture logs = fixture.logs();
        fixture.startHub(Map.of("mphub.health.stuck-after-ms", "2000"), camel -> deadLetters
                .replace(camel.getRegistry().lookupByNameAndType("deadLetters", DeadLetters.class), camel));
        String u = "oInfraUser2";
        fixture.kafka.publish("mp.events.order", u, Events.structured("infra-bad", "mp.order.created", u,
                Events.orderCreated(u, "INF0001").replace("\"total\":1999", "\"total\":\"19.99\"")));
        List<String> behind = IntStream.range(0, 10).mapToObj(i -> "infra-behind-" + i).toList();
        for (String id : behind) {
            fixture.kafka.publish("mp.events.order", u, Events.structured(id, "mp.order.created", u,
                    Events.orderCreated(u, "INF-" + id)));
        }

        await().atMost(60, TimeUnit.SECONDS).until(() -> readiness().statusCode() == 503);
        String report = readiness().body();
        assertThat(report).contains("ingest: mp.events.order-").contains("stuck at offset 0 for")
                .contains("OutboxWriteException: Kafka did not accept a record: dead-letter topic unavailable");
        assertThat(fixture.hub.metric("mphub_consumer_stuck_partitions")).isEqualTo(1);
        assertThat(fixture.receiver("analytics").delivered()).doesNotContainAnyElementsOf(behind);
        // It keeps reading the record again, and says so once.
        await().atMost(30, TimeUnit.SECONDS).until(() -> deadLetters.tries.get() >= 3);
        assertThat(logs.lines().stream().filter(l -> l.contains("cannot get past offset 0"))).hasSize(1);

        deadLetters.writable.countDown();

        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(fixture.receiver("analytics").delivered()).containsAll(behind));
        var dead = fixture.kafka.read("mp.dlq.ingest", 1, Duration.ofSeconds(30));
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), "mphub.error.reason")).isEqualTo("schema");
        await().atMost(30, TimeUnit.SECONDS).until(() -> readiness().statusCode() == 200);
        assertThat(fixture.hub.metric("mphub_consumer_stuck_partitions")).isZero();
        assertThat(logs.lines().stream().filter(l -> l.contains("moving again past offset 0"))).hasSize(1);
    }

    private HttpResponse<String> readiness() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + fixture.hub.httpPort() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The hub's commit step, failing once with Kafka's own commit timeout when the batch of one event ends. */
    public static final class FailingCommits {
        private final String eventId;
        private final AtomicInteger failed = new AtomicInteger();
        private CommitAfterFlush real;

        FailingCommits(String eventId) {
            this.eventId = eventId;
        }

        void replace(CommitAfterFlush real, CamelContext camel) {
            this.real = real;
            camel.getRegistry().unbind("offsets");
            camel.getRegistry().bind("offsets", this);
        }

        public void commitAtBatchEnd(Exchange exchange) {
            if (eventId.equals(exchange.getProperty("eventId"))
                    && Boolean.TRUE.equals(exchange.getMessage().getHeader(KafkaConstants.LAST_POLL_RECORD))
                    && failed.compareAndSet(0, 1)) {
                throw new TimeoutException("Timeout of 5000ms expired before successfully committing offsets");
            }
            real.commitAtBatchEnd(exchange);
        }
    }

    /** The hub's dead-letter writer, with Kafka refusing every dead letter until the test says otherwise. */
    public static final class FailingDeadLetters {
        private final CountDownLatch writable = new CountDownLatch(1);
        private final AtomicInteger tries = new AtomicInteger();
        private DeadLetters real;

        void replace(DeadLetters real, CamelContext camel) {
            this.real = real;
            camel.getRegistry().unbind("deadLetters");
            camel.getRegistry().bind("deadLetters", this);
        }

        public void rejected(Exchange exchange) {
            tries.incrementAndGet();
            if (writable.getCount() > 0) {
                throw new OutboxWriteException("Kafka did not accept a record: dead-letter topic unavailable", null);
            }
            real.rejected(exchange);
        }

        public void undeliverable(Exchange exchange) {
            real.undeliverable(exchange);
        }
    }
}
