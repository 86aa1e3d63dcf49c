package io.mphub.deliver;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.mphub.testing.TestKafka;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultThreadPoolFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A destination paused before its Kafka consumer's threads have run (an operator's pause read back at start-up, or
 * one made while live reload starts the route) resumes and delivers: camel-kafka's fetch task returns for good when
 * it first runs on a suspended consumer, so a resume must not rely on it.
 */
class PauserKafkaIT {

    private static final String TOPIC = "mp.out.gated";

    private final CountDownLatch gate = new CountDownLatch(1);
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private TestKafka kafka;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() throws Exception {
        kafka = TestKafka.start();
        camel = new DefaultCamelContext();
        // The consumer's fetch threads wait at the gate, so the pause below lands before their first run,
        // as it may when the machine is busy.
        camel.getExecutorServiceManager().setThreadPoolFactory(new DefaultThreadPoolFactory() {
            @Override
            public ExecutorService newThreadPool(ThreadPoolProfile profile, ThreadFactory factory) {
                return super.newThreadPool(profile, r -> factory.newThread(() -> {
                    if (Thread.currentThread().getName().contains("KafkaConsumer[" + TOPIC + "]")) {
                        awaitGate();
                    }
                    r.run();
                }));
            }
        });
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kafka:" + TOPIC + "?brokers=" + kafka.bootstrapServers() + "&groupId=mphub.deliver.gated"
                        + "&consumersCount=2&autoOffsetReset=earliest").routeId(Destination.routeId("gated"))
                        .process(e -> received.add(e.getMessage().getBody(String.class)));
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        gate.countDown();
        scheduler.shutdownNow();
        camel.close();
        kafka.close();
    }

    @Test
    void aDestinationPausedBeforeItsConsumerFirstRanDeliversOnceResumed() {
        Pauser pauser = new Pauser(camel, scheduler, HttpClient.newHttpClient(), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Clock.systemUTC());
        kafka.createTopic(TOPIC, Map.of());
        pauser.hold("gated", "receiver upgrade", Instant.now());
        camel.start();
        pauser.suspendPaused();
        gate.countDown();
        List<String> sent = IntStream.range(0, 20).mapToObj(i -> "event-" + i).toList();
        sent.forEach(v -> kafka.publish(TOPIC, "user-" + v, v));

        pauser.release("gated", "operator at 127.0.0.1");

        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(received).containsAll(sent));
    }

    private void awaitGate() {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
