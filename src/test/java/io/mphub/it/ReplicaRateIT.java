package io.mphub.it;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.mphub.testing.Events;
import io.mphub.testing.HubProcess;
import io.mphub.testing.Receiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A destination's rate is the whole group's: two packaged hubs in one consumer group each take the share of the
 * partitions they own, so the receiver never sees more than the rate; when one is killed, the survivor takes the whole
 * rate once its partitions come to it.
 */
class ReplicaRateIT {

    private static final int RATE = 40;

    @RegisterExtension
    static final HubFixture fixture = new HubFixture();

    @TempDir
    Path temp;

    @Test
    void twoReplicasHoldTheRateTogetherAndTheSurvivorTakesItAll() throws Exception {
        Map<String, String> env = fixture.env();
        env.put("MPHUB_DESTINATIONS_CUSTOMER_SERVICE_RATE", String.valueOf(RATE));
        Receiver cs = fixture.receivers.get("customer-service");
        try (HubProcess a = HubProcess.start(env, temp.resolve("a.log"));
                HubProcess b = HubProcess.start(env, temp.resolve("b.log"))) {
            await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.groupIsSettled(
                    "mphub.deliver.customer-service", "mp.out.customer-service", 2));
            await().atMost(30, TimeUnit.SECONDS).until(() -> a.log().contains(shareLine(20, 4))
                    && b.log().contains(shareLine(20, 4)));

            int total = 600;
            List<String> ids = IntStream.range(0, total).mapToObj(i -> "replica-rate-" + i).toList();
            fixture.kafka.publishAll("mp.events.login", IntStream.range(0, total).mapToObj(i -> {
                String u = "oReplicaRate" + (i % 50);
                return Map.entry(u, Events.structured(ids.get(i), "mp.user.login", u, Events.login(u)));
            }).toList());
            await().atMost(60, TimeUnit.SECONDS).until(() -> cs.posts().size() >= 120);

            a.process().destroyForcibly();
            long killed = System.nanoTime();
            Instant killedAt = Instant.now();
            await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                    .until(() -> b.log().contains(shareLine(40, 8)));
            System.out.printf("SIGKILL of one of two replicas: the survivor took all 8 partitions of"
                    + " mp.out.customer-service and the whole rate %.1f s later%n", (System.nanoTime() - killed) / 1e9);

            await().atMost(90, TimeUnit.SECONDS).untilAsserted(() -> assertThat(cs.delivered()).containsAll(ids));
            List<Instant> all = cs.posts().stream().map(Receiver.Arrival::at).sorted().toList();
            List<Instant> afterKill = all.stream().filter(t -> t.isAfter(killedAt)).toList();
            int groupMost = mostWithin(all, Duration.ofSeconds(4));
            int survivorMost = mostWithin(afterKill, Duration.ofSeconds(2));
            System.out.printf("rate %d/s for the group: at most %d requests in any 4 s (two replicas, then the"
                    + " survivor); after the kill, at most %d in any 2 s%n", RATE, groupMost, survivorMost);
            // An exact limiter of n a second lets n through at once, then n a second later: a window of L seconds at
            // the receiver sees at most n x (L + 1). Two replicas each at the whole rate would show twice that.
            assertThat(groupMost).isLessThanOrEqualTo(RATE * 5);
            // The survivor alone sends more than its old share (20/s: at most 60 in 2 s) once all partitions are its.
            assertThat(survivorMost).isGreaterThan(20 * 3);
        }
    }

    private static String shareLine(int share, int owned) {
        return "delivery to customer-service: this replica sends at most " + share + "/s, its share of the rate "
                + RATE + "/s (" + owned + " of 8 partitions)";
    }

    /** The most arrivals within any {@code window} (one starting at each arrival). */
    private static int mostWithin(List<Instant> sorted, Duration window) {
        int most = 0;
        int end = 0;
        for (int start = 0; start < sorted.size(); start++) {
            Instant limit = sorted.get(start).plus(window);
            while (end < sorted.size() && sorted.get(end).isBefore(limit)) {
                end++;
            }
            most = Math.max(most, end - start);
        }
        return most;
    }
}
