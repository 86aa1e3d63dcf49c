package io.mphub.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.testing.ConsoleClient;
import io.mphub.testing.Events;
import io.mphub.testing.HubProcess;
import io.mphub.testing.PrivacyKeys;
import io.mphub.testing.Receiver;
import io.mphub.testing.TestRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Operators edit routes/ while the hub runs: a broken edit never takes it down and is said once as file:line with the
 * fix; a good edit applies without restart; a destination is added and removed by adding and deleting its file.
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

    @Test
    void aDestinationFileDroppedInStartsItAndOneRemovedStopsIt() throws Exception {
        Path routes = TestRoutes.copyInto(temp);
        Path destinations = routes.resolve("destinations");
        Path dispatch = routes.resolve("dispatch.camel.yaml");
        Path secrets = temp.resolve("secrets.properties");
        Files.writeString(secrets, "# mphub secrets\n");
        Map<String, String> env = new HashMap<>(fixture.env());
        env.put("MPHUB_ROUTES_DIR", routes.toString());
        env.put("MPHUB_ROUTES_RELOAD_ENABLED", "true");
        env.put("MPHUB_SECRETS_FILE", secrets.toString());
        HubProcess hub = fixture.closing(HubProcess.start(env, temp.resolve("hub.log")));
        assertThat(hub.log()).contains("mphub started");
        Receiver partner = fixture.closing(Receiver.start());
        Receiver analytics = fixture.receiver("analytics");

        // The operator adds its settings, then its file.
        // A copy of analytics: its data contract too, which needs a pseudonym key; the test's users have no consent
        // record, which a partner delivering without one takes.
        Files.writeString(secrets, "mphub.destinations.partner.url=" + partner.url() + "\n"
                + "mphub.destinations.partner.secret=" + partner.secret() + "\n"
                + "mphub.destinations.partner.pseudonym-key=" + PrivacyKeys.pseudonymKey("partner") + "\n"
                + "mphub.destinations.partner.consent.without-record=deliver\n");
        Files.writeString(destinations.resolve("partner.camel.yaml"), Files.readString(destinations
                .resolve("analytics.camel.yaml")).replace("analytics", "partner"));
        await().atMost(30, TimeUnit.SECONDS).until(() -> hub.log().contains("destination partner (webhook) starts"));
        ConsoleClient console = new ConsoleClient(hub.consolePort(), null);
        await().atMost(30, TimeUnit.SECONDS).until(() -> console.destination("partner").path("state").asText()
                .equals("running"));
        assertThat(readiness(hub)).doesNotContain("deliver-partner is");

        // Then sends it logins: they arrive signed with its own secret.
        TestRoutes.edit(dispatch, "constant: analytics,customer-service", "constant: analytics,customer-service,partner");
        await().atMost(60, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).until(() -> {
            login();
            return !partner.delivered().isEmpty();
        });
        assertThat(partner.posts()).allSatisfy(a -> assertThat(a.signatureValid()).isTrue());

        // An edit Camel refuses only when it makes the route (a concurrency that is no number): said once, and the
        // route as it was keeps delivering.
        Path partnerFile = destinations.resolve("partner.camel.yaml");
        String good = Files.readString(partnerFile);
        Files.writeString(partnerFile, good.replaceFirst("        value: partner\n", "        value: partner\n"
                + "      - name: concurrency\n        value: \"two\"\n"));
        await().atMost(30, TimeUnit.SECONDS).until(() -> hub.log().contains("the edit of " + partnerFile));
        assertThat(hub.log()).contains(partnerFile + ": Camel refuses it");
        String afterBadEdit = login();
        await().atMost(60, TimeUnit.SECONDS).until(() -> partner.delivered().contains(afterBadEdit));
        Files.writeString(partnerFile, good);

        // Its file removed while the fan-out table still sends to it: refused, and it keeps delivering.
        Files.delete(destinations.resolve("partner.camel.yaml"));
        await().atMost(30, TimeUnit.SECONDS).until(() -> hub.log().contains("the fan-out table still sends to 'partner'"));
        assertThat(hub.log()).contains(dispatch + ":").contains("fix: remove 'partner' from the fan-out table first");
        String stillSent = login();
        await().atMost(60, TimeUnit.SECONDS).until(() -> partner.delivered().contains(stillSent));

        // Out of the table: now it stops, and its events go nowhere else; the others deliver on.
        TestRoutes.edit(dispatch, "analytics,customer-service,partner", "analytics,customer-service");
        await().atMost(30, TimeUnit.SECONDS).until(() -> hub.log().contains("destination partner stopped"));
        assertThat(new ObjectMapper().readTree(console.get("/api/overview").body()).path("destinations").findValuesAsText(
                "name")).doesNotContain("partner");
        String after = login();
        await().atMost(60, TimeUnit.SECONDS).until(() -> analytics.delivered().contains(after));
        assertThat(partner.delivered()).doesNotContain(after);
        assertThat(readiness(hub)).doesNotContain("partner");

        // A broken file: refused with file:line and the fix; nothing stops.
        Path broken = destinations.resolve("misnamed.camel.yaml");
        Files.writeString(broken, Files.readString(destinations.resolve("analytics.camel.yaml"))
                .replace("value: analytics", "value: misnamed"));
        await().atMost(30, TimeUnit.SECONDS).until(() -> hub.log().contains("the edit of " + broken));
        assertThat(hub.log()).contains(broken + ":").contains("is not named deliver-misnamed")
                .contains("fix: give its templatedRoute 'routeId: deliver-misnamed'");
        String last = login();
        await().atMost(60, TimeUnit.SECONDS).until(() -> analytics.delivered().contains(last));
        assertThat(hub.process().isAlive()).isTrue();
    }

    private static String readiness(HubProcess hub) throws Exception {
        return hub.get("/health/ready").body();
    }

    private String login() {
        String id = "live-" + sequence.incrementAndGet();
        String u = "oLive" + (sequence.get() % 5);
        fixture.kafka.publish("mp.events.login", u, Events.structured(id, "mp.user.login", u, Events.login(u)));
        return id;
    }
}
