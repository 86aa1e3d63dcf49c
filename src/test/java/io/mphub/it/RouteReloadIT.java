package io.mphub.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mphub.testing.Events;
import io.mphub.testing.TestKafka;
import io.mphub.testing.TestRoutes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Operators edit routes/ while the hub runs: a broken edit never takes it down; a good edit applies without restart. */
class RouteReloadIT {

    @TempDir
    Path temp;
    private HubFixture fixture;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final AtomicInteger sequence = new AtomicInteger();

    @AfterEach
    void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        fixture.close();
    }

    @Test
    void brokenEditKeepsTheOldRoutesServingAndAGoodEditAppliesWithoutRestart() throws Exception {
        Path routes = TestRoutes.copyInto(temp);
        Path dispatch = routes.resolve("dispatch.camel.yaml");
        String original = Files.readString(dispatch);
        fixture = new HubFixture().startHub(Map.of("mphub.routes.dir", routes.toString(),
                "camel.main.routes-reload-enabled", "true"));
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);

        String before = behaviour();
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.receiver("analytics").delivered().contains(before));

        Files.writeString(dispatch, original.replace("        - choice:", "        - choice:\n     broken: [unclosed"));
        await().atMost(30, TimeUnit.SECONDS).until(() -> logs.list.stream().anyMatch(e ->
                e.getLevel().isGreaterOrEqual(Level.WARN) && e.getFormattedMessage().contains("dispatch.camel.yaml")));
        String during = behaviour();
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.receiver("analytics").delivered().contains(during));

        // Behaviour events now go to customer-service instead of analytics.
        String edited = original.replace("constant: analytics\n", "constant: customer-service\n");
        assertThat(edited).isNotEqualTo(original);
        Files.writeString(dispatch, edited);
        await().atMost(60, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).until(() -> {
            behaviour();
            return fixture.receiver("customer-service").delivered().stream().anyMatch(id -> id.startsWith("reload-"));
        });

        // A reloaded table is checked as it runs: a misspelt destination dead-letters the event, it stalls nothing.
        Files.writeString(dispatch, edited.replace("constant: customer-service\n", "constant: customer-servce\n"));
        await().atMost(60, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).until(() -> {
            behaviour();
            return fixture.kafka.read("mp.dlq.ingest", 100, Duration.ofMillis(300)).stream().anyMatch(r ->
                    String.valueOf(TestKafka.header(r, "mphub.error.message")).contains("unknown destination 'customer-servce'"));
        });
        // Fixed again: events published once the reload has landed reach customer-service (one published before
        // it may still meet the misspelt table, and is dead-lettered like the others).
        int delivered = fixture.receiver("customer-service").delivered().size();
        Files.writeString(dispatch, edited);
        await().atMost(60, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).until(() -> {
            behaviour();
            return fixture.receiver("customer-service").delivered().size() > delivered;
        });
        assertThat(fixture.hub.camel().isStarted()).isTrue();
    }

    private String behaviour() {
        String id = "reload-" + sequence.incrementAndGet();
        String u = "oReloadUser";
        fixture.kafka.publish("mp.events.behaviour", u, Events.structured(id, "mp.behaviour.tap", u,
                Events.behaviour(u, "pages/index/index")));
        return id;
    }

}
