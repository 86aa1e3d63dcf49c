package io.mphub.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.mphub.testing.Events;
import io.mphub.testing.TestRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Operators edit routes/ while the hub runs: a broken edit never takes it down and is said once as file:line with the
 * fix; a good edit applies without restart.
 */
class RouteReloadIT {

    @TempDir
    Path temp;
    @RegisterExtension
    final HubFixture fixture = new HubFixture();
    private final AtomicInteger sequence = new AtomicInteger();

    @Test
    void brokenEditKeepsTheOldRoutesServingAndAGoodEditAppliesWithoutRestart() throws Exception {
        Path routes = TestRoutes.copyInto(temp);
        Path dispatch = routes.resolve("dispatch.camel.yaml");
        String original = Files.readString(dispatch);
        fixture.startHub(Map.of("mphub.routes.dir", routes.toString(),
                "mphub.routes.reload-enabled", "true"));
        fixture.logs();

        String before = behaviour();
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.receiver("analytics").delivered().contains(before));

        // Broken YAML (a line inserted below "- choice:"): refused at once, said once as file:line of that line with the
        // fix, without a stack trace.
        Files.writeString(dispatch, original.replace("        - choice:", "        - choice:\n     broken: [unclosed"));
        await().atMost(30, TimeUnit.SECONDS).until(() -> refusals().size() == 1);
        assertThat(refusals().get(0).getFormattedMessage()).contains(dispatch + ":" + (lineOf(original, "- choice:", 1) + 1)
                + ": malformed YAML")
                .contains("fix: correct the YAML at that line");
        assertThat(refusals().get(0).getThrowableProxy()).isNull();
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

        // A misspelt destination is refused like at start-up: the table in force keeps routing, nothing is dead-lettered.
        int line = lineOf(edited, "constant: customer-service\n", 2);
        Files.writeString(dispatch, edited.replace("constant: customer-service\n", "constant: customer-servce\n"));
        await().atMost(30, TimeUnit.SECONDS).until(() -> refusals().size() == 2);
        assertThat(refusals().get(1).getFormattedMessage())
                .contains(dispatch + ":" + line + ": the fan-out table sends to unknown destination 'customer-servce'")
                .contains("fix: correct the name, or add routes/destinations/customer-servce.camel.yaml");
        String misspelt = behaviour();
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.receiver("customer-service").delivered()
                .contains(misspelt));

        // A step Camel does not know: Camel's own refusal, said as file:line too.
        Files.writeString(dispatch, edited.replace("        - bean:\n            ref: outbox",
                "        - beann:\n            ref: outbox"));
        await().atMost(30, TimeUnit.SECONDS).until(() -> refusals().size() == 3);
        assertThat(refusals().get(2).getFormattedMessage()).contains(dispatch + ":" + lineOf(edited, "- bean:", 1)
                + ": Camel refuses it: Unknown node id: beann");

        // Fixed again: events published once the reload has landed reach customer-service.
        int delivered = fixture.receiver("customer-service").delivered().size();
        Files.writeString(dispatch, edited);
        await().atMost(60, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).until(() -> {
            behaviour();
            return fixture.receiver("customer-service").delivered().size() > delivered;
        });
        assertThat(fixture.kafka.read("mp.dlq.ingest", 1, Duration.ofSeconds(2))).isEmpty();
        assertThat(refusals()).hasSize(3);
        assertThat(fixture.hub.camel().isStarted()).isTrue();
    }

    /** The hub's refusals of an edit: one WARN line each. */
    private List<ILoggingEvent> refusals() {
        return fixture.logs().events().stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)
                && e.getFormattedMessage().contains("dispatch.camel.yaml")).toList();
    }

    /** The 1-based line of the {@code nth} line of {@code text} containing {@code fragment}. */
    private static int lineOf(String text, String fragment, int nth) {
        List<String> lines = text.lines().toList();
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            if ((lines.get(i) + "\n").contains(fragment) && ++seen == nth) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException(fragment);
    }

    private String behaviour() {
        String id = "reload-" + sequence.incrementAndGet();
        String u = "oReloadUser";
        fixture.kafka.publish("mp.events.behaviour", u, Events.structured(id, "mp.behaviour.tap", u,
                Events.behaviour(u, "pages/index/index")));
        return id;
    }

}
