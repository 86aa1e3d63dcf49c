package io.mphub.it;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.mphub.testing.Events;
import io.mphub.testing.HubProcess;
import io.mphub.testing.Receiver;
import io.mphub.testing.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker goes away for 20 seconds under the packaged hub while events are being ingested and delivered. Nothing is
 * dead-lettered for it (a failed commit or write is the hub's own failure: the records are read again), every event
 * is delivered once the broker is back, readiness fails while Kafka is away and says why, and the log says it once
 * when Kafka goes and once when it comes back instead of the clients' warnings.
 */
class KafkaOutageIT {

    @RegisterExtension
    final HubFixture fixture = new HubFixture();

    @TempDir
    Path temp;

    @Test
    void aBrokerOutageDeadLettersNothingDeliversEverythingAndIsSaidOnce() throws Exception {
        TestKafka kafka = fixture.kafka;
        Map<String, String> env = fixture.env();
        env.put("MPHUB_HEALTH_CHECK_INTERVAL_MS", "500");
        env.put("MPHUB_HEALTH_KAFKA_DOWN_AFTER_MS", "3000");
        // Delivery is still under way when the broker goes: at most 100 events a second to analytics.
        env.put("MPHUB_DESTINATIONS_ANALYTICS_RATE", "100");
        Receiver analytics = fixture.receiver("analytics");
        List<String> published = new CopyOnWriteArrayList<>();
        AtomicBoolean publishing = new AtomicBoolean(true);
        ExecutorService publisher = Executors.newSingleThreadExecutor();
        try (HubProcess hub = HubProcess.start(env, temp.resolve("hub.log"))) {
            assertThat(hub.get("/health/ready").statusCode()).isEqualTo(200);
            // A backend that keeps publishing: its sends wait out the outage (the producer retries) and go on after.
            Future<?> publishes = publisher.submit(() -> {
                for (int i = 0; publishing.get(); i++) {
                    String id = "outage-" + i;
                    String u = "oOutageUser" + (i % 11);
                    kafka.publish("mp.events.behaviour", u, Events.structured(id, "mp.behaviour.page_view", u,
                            Events.behaviour(u, "pages/" + i)));
                    published.add(id);
                    await().pollDelay(Duration.ofMillis(20)).until(() -> true);
                }
            });
            await().atMost(60, TimeUnit.SECONDS).until(() -> analytics.delivered().size() >= 100);

            kafka.stopBroker();
            long stopped = System.nanoTime();
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
                HttpResponse<String> ready = hub.get("/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("Kafka unreachable at " + kafka.bootstrapServers());
            });
            assertThat(hub.get("/health/live").statusCode()).isEqualTo(200);
            await().pollDelay(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(21)).until(() -> true);
            kafka.restartBroker();
            System.out.printf("broker away for %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopped));

            await().atMost(60, TimeUnit.SECONDS).until(() -> hub.get("/health/ready").statusCode() == 200);
            int before = published.size();
            await().atMost(60, TimeUnit.SECONDS).until(() -> published.size() > before + 50);
            publishing.set(false);
            publishes.get(60, TimeUnit.SECONDS);
            await().atMost(90, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(Set.copyOf(analytics.delivered())).containsAll(published));

            for (String topic : List.of("mp.dlq.ingest", "mp.dlq.analytics")) {
                assertThat(kafka.read(topic, 1, Duration.ofSeconds(3))).as(topic).isEmpty();
            }
            String log = hub.log();
            assertThat(log.lines().filter(l -> l.contains("Kafka unreachable at"))).hasSize(1);
            assertThat(log.lines().filter(l -> l.contains("Kafka reachable again at"))).hasSize(1);
            assertThat(log.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).count())
                    .as("warnings and errors in the hub's log:%n%s", log).isLessThan(15);
            System.out.printf("%d events published, %d requests to analytics; hub log %d lines%n", published.size(),
                    analytics.posts().size(), log.lines().count());
        } finally {
            publishing.set(false);
            publisher.shutdownNow();
        }
    }
}
