package io.mphub.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.mphub.testing.Events;
import io.mphub.testing.Receiver;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "The endpoint is down" versus "this record is bad" is decided without a race between a destination's consumer
 * threads. A success counts from when its attempt began: a request that was already on its way when another record's
 * first attempt began, and is answered after it, says nothing about the endpoint during that record's attempts.
 * <p>
 * The receiver plays it step by step on signals, not timers: event Q's request is held open; event R (another user,
 * so another lane) fails its first attempt, which releases Q's 204; R's remaining attempts fail once the hub
 * has counted Q as delivered. Every attempt begun after R's first one failed, so the endpoint is down: the destination
 * pauses, R is dead-lettered not at all, and is delivered once the receiver is healthy again.
 */
class EndpointDownRaceIT {

    @RegisterExtension
    final HubFixture fixture = new HubFixture();

    @Test
    void aSuccessAnsweredAfterAnotherRecordsFirstAttemptBeganDoesNotMakeThatRecordBad() throws Exception {
        // Two users, so two lanes in flight side by side. The one-event-per-request path (analytics ships batched:
        // BatchDeliveryIT).
        Map<String, String> settings = new HashMap<>(fixture.analyticsPerEvent());
        settings.put("mphub.delivery.retry.max-attempts", "3");
        fixture.startHub(settings);
        String q = userOnPartition(1);
        String r = userOnPartition(6);
        CountDownLatch qArrived = new CountDownLatch(1);
        CountDownLatch rFailedOnce = new CountDownLatch(1);
        CountDownLatch healthy = new CountDownLatch(1);
        Receiver analytics = fixture.receiver("analytics");
        analytics.answer(arrival -> {
            if (healthy.getCount() == 0) {
                return Receiver.Answer.of(204);
            }
            if ("race-q".equals(arrival.webhookId())) {
                qArrived.countDown();
                await().atMost(30, TimeUnit.SECONDS).until(() -> rFailedOnce.getCount() == 0);
                return Receiver.Answer.of(204);
            }
            if (analytics.attempt("race-r") == 1) {
                rFailedOnce.countDown();
            } else {
                // R's later attempts fail only once the hub has taken Q's 204 as a success.
                await().atMost(30, TimeUnit.SECONDS).until(() -> delivered() >= 1);
            }
            return Receiver.Answer.of(503);
        });

        // Q's request is held open, so its consumer could not settle a rebalance: start once it holds every partition.
        await().atMost(30, TimeUnit.SECONDS).until(() -> fixture.kafka.groupIsSettled("mphub.deliver.analytics",
                "mp.out.analytics", 1));
        publish("race-q", q);
        assertThat(qArrived.await(30, TimeUnit.SECONDS)).isTrue();
        publish("race-r", r);

        // The endpoint is down from R's first attempt on: the destination pauses rather than dead-letter R.
        var consumer = fixture.hub.camel().getRoute("deliver-analytics").getConsumer();
        await().atMost(30, TimeUnit.SECONDS).until(() -> ServiceHelper.isSuspended(consumer));
        assertThat(analytics.attemptsOf("race-r")).hasSizeGreaterThanOrEqualTo(3);
        healthy.countDown();

        await().atMost(60, TimeUnit.SECONDS).until(() -> analytics.delivered().contains("race-r"));
        assertThat(analytics.delivered()).contains("race-q");
        assertThat(fixture.kafka.read("mp.dlq.analytics", 1, Duration.ofSeconds(3))).isEmpty();
    }

    private double delivered() throws Exception {
        return fixture.hub.metric(
                "mphub_delivery_attempts_total{destination=\"analytics\",outcome=\"delivered\",reason=\"ok\"}");
    }

    private void publish(String id, String user) {
        fixture.kafka.publish("mp.events.behaviour", user, Events.structured(id, "mp.behaviour.tap", user,
                Events.behaviour(user, "pages/race")));
    }

    /** A user whose events land on {@code partition} of the hub's 8-partition topics (Kafka's keyed partitioner). */
    private static String userOnPartition(int partition) {
        return IntStream.range(0, 10_000).mapToObj(i -> "oRaceUser" + i)
                .filter(u -> Utils.toPositive(Utils.murmur2(u.getBytes(StandardCharsets.UTF_8))) % 8 == partition)
                .findFirst().orElseThrow();
    }
}
