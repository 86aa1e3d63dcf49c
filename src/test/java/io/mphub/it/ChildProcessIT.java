package io.mphub.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.testing.Events;
import io.mphub.testing.HubProcess;
import io.mphub.testing.Receiver;
import io.mphub.testing.TestRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged hub ({@code java -jar target/mphub.jar}) as a child process, against a broker that outlives it:
 * SIGKILL mid-stream loses nothing, SIGTERM stops it within seconds, and bad configuration stops start-up with
 * a message that names the file and line. No secret ever appears in its output.
 */
class ChildProcessIT {

    @RegisterExtension
    static final HubFixture fixture = new HubFixture();

    @TempDir
    Path temp;

    @Test
    void sigkillMidStreamThenRestartDeliversEveryEvent() throws Exception {
        // analytics delivers in batches as it ships: the kill lands mid-batch, and every event arrives afterwards.
        int total = 2000;
        List<String> ids = IntStream.range(0, total).mapToObj(i -> "kill-" + i).toList();
        Receiver analytics = fixture.receivers.get("analytics");
        Map<String, String> env = env(Map.of("MPHUB_DESTINATIONS_ANALYTICS_RATE", "400"));
        Path log1 = temp.resolve("hub-1.log");
        Process hub = startHub(env, log1);
        // Events keep arriving while the hub is killed, so both ingest and delivery are cut mid-stream.
        AtomicInteger published = new AtomicInteger();
        ExecutorService publisher = Executors.newSingleThreadExecutor();
        Future<?> publishing = publisher.submit(() -> {
            for (String id : ids) {
                String u = "oKillUser" + (published.get() % 13);
                fixture.kafka.publish("mp.events.behaviour", u, Events.structured(id, "mp.behaviour.page_view", u,
                        Events.behaviour(u, "pages/" + id)));
                published.incrementAndGet();
            }
        });
        await().atMost(90, TimeUnit.SECONDS).until(() -> analytics.delivered().size() >= 100);
        hub.destroyForcibly();
        int publishedAtKill = published.get();
        assertThat(hub.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int deliveredAtKill = Set.copyOf(analytics.delivered()).size();
        assertThat(publishedAtKill).as("still publishing when killed").isLessThan(total);
        assertThat(deliveredAtKill).as("killed mid-stream").isLessThan(total);

        Path log2 = temp.resolve("hub-2.log");
        Process restarted = startHub(env, log2);
        try {
            publishing.get(120, TimeUnit.SECONDS);
            await().atMost(120, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(Set.copyOf(analytics.delivered())).containsAll(ids));
        } finally {
            publisher.shutdownNow();
            restarted.destroy();
            restarted.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(analytics.posts()).allSatisfy(a -> assertThat(a.signatureValid()).isTrue());
        // A repeat carries the same webhook-id and the same producer fields (the hub's own attributes record
        // when it accepted the event, so a replayed ingest may stamp them anew).
        analytics.posts().stream().collect(Collectors.groupingBy(Receiver.Arrival::webhookId)).values()
                .forEach(attempts -> assertThat(attempts.stream().map(ChildProcessIT::producerFields).distinct()).hasSize(1));
        System.out.printf("SIGKILL: %d published and %d delivered at the kill; %d requests for %d events in all%n",
                publishedAtKill, deliveredAtKill, analytics.posts().size(), total);
        assertNoSecretIn(log1, log2);
    }

    @Test
    void sigkillWithManyUsersInFlightThenRestartDeliversEveryEventEachUsersInOrder() throws Exception {
        // customer-service is sent one event per request, many users at once: the kill lands with events in flight.
        int total = 1500;
        int users = 40;
        List<String> ids = IntStream.range(0, total).mapToObj(i -> "inflight-kill-" + i).toList();
        Receiver cs = fixture.receivers.get("customer-service");
        Map<String, String> env = env(Map.of("MPHUB_DESTINATIONS_CUSTOMER_SERVICE_RATE", "300"));
        Path log1 = temp.resolve("inflight-1.log");
        Process hub = startHub(env, log1);
        fixture.kafka.publishAll("mp.events.login", IntStream.range(0, total).mapToObj(i -> {
            String u = "oInFlightKill" + (i % users);
            return Map.entry(u, Events.structured(ids.get(i), "mp.user.login", u, Events.login(u)));
        }).toList());
        // Ingest has taken them all (its own repeats are not this test's): delivery, at 300 a second, is mid-stream.
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.groupCaughtUp("mphub.ingest", "mp.events.login"));
        await().atMost(90, TimeUnit.SECONDS).until(() -> delivered(cs, "inflight-kill-").size() >= 200);
        hub.destroyForcibly();
        assertThat(hub.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int deliveredAtKill = delivered(cs, "inflight-kill-").size();
        assertThat(deliveredAtKill).as("killed mid-stream").isLessThan(total);

        Path log2 = temp.resolve("inflight-2.log");
        Process restarted = startHub(env, log2);
        try {
            await().atMost(120, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(delivered(cs, "inflight-kill-")).containsAll(ids));
        } finally {
            restarted.destroy();
            restarted.waitFor(30, TimeUnit.SECONDS);
        }
        List<Receiver.Arrival> posts = cs.posts().stream().filter(a -> a.webhookId().startsWith("inflight-kill-"))
                .toList();
        assertThat(posts).allSatisfy(a -> assertThat(a.signatureValid()).isTrue());
        // Each user's events first arrived in the order they were published; a repeat after the kill is no step back.
        Map<String, List<Integer>> firstArrivals = posts.stream().map(Receiver.Arrival::webhookId).distinct()
                .map(id -> Integer.parseInt(id.substring("inflight-kill-".length())))
                .collect(Collectors.groupingBy(i -> "oInFlightKill" + (i % users), Collectors.toList()));
        assertThat(firstArrivals).hasSize(users);
        firstArrivals.forEach((user, order) -> assertThat(order).as(user).isSorted());
        System.out.printf("SIGKILL with users in flight: %d delivered at the kill; %d requests for %d events in all%n",
                deliveredAtKill, posts.size(), total);
        assertNoSecretIn(log1, log2);
    }

    private static Set<String> delivered(Receiver receiver, String prefix) {
        return receiver.delivered().stream().filter(id -> id.startsWith(prefix)).collect(Collectors.toSet());
    }

    @Test
    void sigtermStopsTheHubCleanlyWithinSeconds() throws Exception {
        Path log = temp.resolve("hub-term.log");
        Process hub = startHub(env(Map.of()), log);
        long start = System.nanoTime();
        hub.destroy();
        assertThat(hub.waitFor(20, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        System.out.printf("SIGTERM to exit: %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        // Said at once, then done: "stopping" comes before anything the stop itself logs.
        assertThat(Files.readString(log)).containsSubsequence("mphub stopping", "mphub stopped");
        assertNoSecretIn(log);
    }

    @Test
    void aSecretsFileThatIsNotThereStopsStartUpNamingTheVariableAndTheFix() throws Exception {
        Path missing = temp.resolve("no-such-secrets.properties");
        Path log = temp.resolve("hub-no-secrets.log");
        Process hub = startHub(env(Map.of("MPHUB_SECRETS_FILE", missing.toString())), log);
        assertThat(hub.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(hub.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains("mphub cannot start")
                .contains("MPHUB_SECRETS_FILE: the secrets file " + missing + " does not exist or cannot be read")
                .contains("fix: create it");
    }

    @Test
    void unknownDestinationInTheFanOutTableStopsStartUpNamingFileAndLine() throws Exception {
        Path routes = TestRoutes.copyInto(temp);
        Path dispatch = routes.resolve("dispatch.camel.yaml");
        List<String> lines = Files.readAllLines(dispatch);
        int line = IntStream.range(0, lines.size()).filter(i -> lines.get(i).contains("constant: analytics,customer-service"))
                .findFirst().orElseThrow() + 1;
        lines.set(line - 1, lines.get(line - 1).replace("analytics,customer-service", "analytcs,customer-service"));
        Files.write(dispatch, lines);

        Path log = temp.resolve("hub-bad.log");
        Process hub = startHub(env(Map.of("MPHUB_ROUTES_DIR", routes.toString())), log);
        assertThat(hub.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(hub.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log))
                .contains("mphub cannot start")
                .contains(dispatch + ":" + line + ": the fan-out table sends to unknown destination 'analytcs'")
                .contains("fix: correct the name, or add routes/destinations/analytcs.camel.yaml");
        assertNoSecretIn(log);
    }

    @Test
    void aStepCamelDoesNotKnowStopsStartUpNamingFileLineAndTheFix() throws Exception {
        Path routes = TestRoutes.copyInto(temp);
        Path dispatch = routes.resolve("dispatch.camel.yaml");
        int line = TestRoutes.edit(dispatch, "- bean:", "- beann:");

        Path log = temp.resolve("hub-unknown-step.log");
        Process hub = startHub(env(Map.of("MPHUB_ROUTES_DIR", routes.toString())), log);
        assertThat(hub.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(hub.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains("mphub cannot start: 1 configuration problem")
                .contains(dispatch + ":" + line + ": Camel refuses it: Unknown node id: beann")
                .contains("fix: correct the step or option at that line");
    }

    @Test
    void missingUrlStopsStartUpNamingTheVariable() throws Exception {
        Map<String, String> env = env(Map.of());
        env.remove("MPHUB_DESTINATIONS_PAYMENT_URL");
        Path log = temp.resolve("hub-nourl.log");
        Process hub = startHub(env, log);
        assertThat(hub.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(hub.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains("destination 'payment'").contains("has no URL")
                .contains("MPHUB_DESTINATIONS_PAYMENT_URL");
    }

    private static JsonNode producerFields(Receiver.Arrival arrival) {
        try {
            // One event, or a CloudEvents batch of them (analytics ships batched): each without the hub's stamps.
            JsonNode body = new ObjectMapper().readTree(arrival.body());
            for (JsonNode event : body.isArray() ? body : List.of(body)) {
                ((ObjectNode) event).remove(List.of("mphubreceived", "mphubinstance", "mphubtraceid", "traceparent"));
            }
            return body;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = fixture.env();
        env.putAll(extra);
        return env;
    }

    private static Process startHub(Map<String, String> env, Path log) throws IOException {
        return HubProcess.start(env, log).process();
    }

    private static void assertNoSecretIn(Path... logs) throws IOException {
        for (Path log : logs) {
            String text = Files.readString(log);
            for (Receiver r : fixture.receivers.values()) {
                assertThat(text).doesNotContain(r.secret()).doesNotContain(r.secret().substring("whsec_".length()));
            }
        }
    }
}
