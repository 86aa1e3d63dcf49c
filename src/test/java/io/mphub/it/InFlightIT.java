package io.mphub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.mphub.testing.Events;
import io.mphub.testing.Receiver;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many users in flight to one destination at once, each user's events one at a time and in order
 * (docs/delivery.md#how-many-users-are-in-flight). The receiver plays it on signals, not timers.
 */
class InFlightIT {

    @RegisterExtension
    final HubFixture fixture = new HubFixture();

    private final Map<String, AtomicInteger> openPerUser = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private final AtomicInteger twoOfOneUser = new AtomicInteger();

    @Test
    void manyUsersAreInFlightAtOnceAndEachUsersEventsGoOneAtATimeInOrder() throws Exception {
        Map<String, String> settings = new HashMap<>(fixture.analyticsPerEvent());
        settings.put("mphub.destinations.analytics.in-flight", "8");
        fixture.startHub(settings);
        Receiver analytics = fixture.receiver("analytics");
        // The first eight requests are held until eight are open at once: only users in flight side by side get there.
        CountDownLatch eightOpen = new CountDownLatch(8);
        analytics.answer(arrival -> {
            String user = user(arrival.webhookId());
            enter(user);
            eightOpen.countDown();
            try {
                eightOpen.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            leave(user);
            return Receiver.Answer.of(204);
        });

        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            for (int u = 0; u < 12; u++) {
                String id = "u" + u + "-e" + n;
                ids.add(id);
                publish(id, "oInFlight" + u);
            }
        }

        await().atMost(60, TimeUnit.SECONDS).until(() -> analytics.delivered().containsAll(ids));
        assertThat(eightOpen.getCount()).as("eight requests were open at once").isZero();
        assertThat(mostOpen.get()).as("never more than its in-flight setting").isEqualTo(8);
        assertThat(twoOfOneUser).as("two requests of one user at once").hasValue(0);
        for (int u = 0; u < 12; u++) {
            String prefix = "u" + u + "-";
            assertThat(analytics.posts().stream().map(Receiver.Arrival::webhookId).filter(id -> id.startsWith(prefix))
                    .distinct()).as("user %d's events in the order they were published", u)
                    .containsExactly(prefix + "e0", prefix + "e1", prefix + "e2", prefix + "e3", prefix + "e4");
        }
        assertThat(analytics.posts()).allMatch(Receiver.Arrival::signatureValid);
    }

    @Test
    void aUserWhoseEventIsRetryingHoldsBackOnlyThatUsersLaterEvents() throws Exception {
        Map<String, String> settings = new HashMap<>(fixture.analyticsPerEvent());
        settings.put("mphub.destinations.analytics.retry.max-attempts", "1000");
        settings.put("mphub.destinations.analytics.retry.initial-delay-ms", "50");
        settings.put("mphub.destinations.analytics.retry.max-delay-ms", "200");
        fixture.startHub(settings);
        Receiver analytics = fixture.receiver("analytics");
        CountDownLatch fixed = new CountDownLatch(1);
        analytics.answer(arrival -> arrival.webhookId().startsWith("slow-") && fixed.getCount() > 0
                ? Receiver.Answer.of(503) : Receiver.Answer.of(204));

        for (int n = 0; n < 3; n++) {
            publish("slow-e" + n, "oSlowUser");
            for (int u = 0; u < 5; u++) {
                publish("quick" + u + "-e" + n, "oQuickUser" + u);
            }
        }

        // Every other user's events get through while the slow user's first one is still being retried.
        await().atMost(60, TimeUnit.SECONDS).until(() -> analytics.delivered().stream()
                .filter(id -> id.startsWith("quick")).count() == 15 && analytics.attemptsOf("slow-e0").size() >= 2);
        assertThat(analytics.delivered()).noneMatch(id -> id.startsWith("slow-"));
        assertThat(analytics.attemptsOf("slow-e1")).as("held back behind the user's event that is retrying").isEmpty();
        assertThat(ServiceHelper.isSuspended(fixture.hub.camel().getRoute("deliver-analytics").getConsumer()))
                .as("the destination works for others: not paused").isFalse();

        fixed.countDown();
        await().atMost(30, TimeUnit.SECONDS).until(() -> analytics.delivered().containsAll(List.of("slow-e0",
                "slow-e1", "slow-e2")));
        assertThat(analytics.delivered().stream().filter(id -> id.startsWith("slow-")))
                .containsExactly("slow-e0", "slow-e1", "slow-e2");
        assertThat(fixture.kafka.read("mp.dlq.analytics", 1, Duration.ofSeconds(2))).isEmpty();
    }

    private void enter(String user) {
        if (openPerUser.computeIfAbsent(user, u -> new AtomicInteger()).incrementAndGet() > 1) {
            twoOfOneUser.incrementAndGet();
        }
        mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
    }

    private void leave(String user) {
        open.decrementAndGet();
        openPerUser.get(user).decrementAndGet();
    }

    /** The user of an event id "u<k>-e<n>". */
    private static String user(String id) {
        return id.substring(0, id.indexOf('-'));
    }

    private void publish(String id, String user) {
        fixture.kafka.publish("mp.events.behaviour", user, Events.structured(id, "mp.behaviour.tap", user,
                Events.behaviour(user, "pages/in-flight")));
    }
}
