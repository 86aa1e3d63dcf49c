package io.mphub.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.mphub.deadletter.DeadLetters;
import io.mphub.testing.ConsoleClient;
import io.mphub.testing.Events;
import io.mphub.testing.JarCommand;
import io.mphub.testing.Receiver;
import io.mphub.testing.TestKafka;
import io.mphub.testing.TestSecrets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replay of dead letters, started from the console's API: the matching records of {@code mp.dlq.<destination>} go
 * back to {@code mp.out.<destination>} with their key, bytes and event id, so the receiver sees the same
 * {@code webhook-id}; a request run again replays nothing twice; ingest's dead letters go back to their input topic
 * and through the contract again.
 */
class ReplayIT {

    private static final String TOKEN = TestSecrets.alphanumeric(24);
    @RegisterExtension
    final HubFixture fixture = new HubFixture();

    private ConsoleClient console() {
        return new ConsoleClient(fixture.hub.consolePort(), TOKEN);
    }

    @Test
    void replayByReasonPutsTheDeadLettersBackOnceWithTheirWebhookIds() throws Exception {
        fixture.startHub(Map.of("mphub.console.token", TOKEN));
        Receiver payment = fixture.receiver("payment");
        // bad-*: refused for good (400, http_4xx); moved-*: a redirect the hub does not follow (http_3xx).
        payment.answer(a -> a.webhookId().startsWith("bad-") ? Receiver.Answer.of(400)
                : a.webhookId().startsWith("moved-") ? Receiver.Answer.of(302) : Receiver.Answer.of(204));
        List<String> bad = fixture.publishOrders("bad-", 4);
        List<String> moved = fixture.publishOrders("moved-", 2);
        List<String> good = fixture.publishOrders("good-", 3);
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.read("mp.dlq.payment", 6,
                Duration.ofSeconds(1)).size() == 6 && payment.delivered().containsAll(good));

        payment.answer(a -> Receiver.Answer.of(204)); // the receiver is fixed
        JsonNode report = replay("{\"destination\":\"payment\",\"reason\":\"http_4xx\"}");
        assertThat(report.path("replayed").path("mp.out.payment").asLong()).isEqualTo(4);
        assertThat(report.path("skipped").path("other_reason").asLong()).isEqualTo(2);
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(payment.delivered()).containsAll(bad));
        for (String id : bad) {
            assertThat(payment.attemptsOf(id)).extracting(Receiver.Arrival::answeredStatus).containsExactly(400, 204);
            assertThat(payment.attemptsOf(id)).allSatisfy(a -> assertThat(a.signatureValid()).isTrue());
        }
        assertThat(payment.delivered()).doesNotContainAnyElementsOf(moved);
        List<ConsumerRecord<String, byte[]>> replayed = fixture.kafka.readAll("mp.out.payment")
                .stream().filter(r -> TestKafka.header(r, "mphub.replayed.from") != null).toList();
        assertThat(replayed).extracting(r -> TestKafka.header(r, "ce_id")).containsExactlyInAnyOrderElementsOf(bad);
        assertThat(replayed).allSatisfy(r -> assertThat(TestKafka.header(r, "mphub.replayed.from"))
                .startsWith("mp.dlq.payment/"));

        // The same request again: each dead letter is replayed once per request.
        JsonNode again = replay("{\"destination\":\"payment\",\"reason\":\"http_4xx\"}");
        assertThat(again.path("replayed").size()).isZero();
        assertThat(again.path("earlier").asLong()).isEqualTo(6);
        assertThat(fixture.kafka.readAll("mp.out.payment").stream()
                .filter(r -> TestKafka.header(r, "mphub.replayed.from") != null)).hasSize(4);
        assertThat(payment.attemptsOf(bad.get(0))).hasSize(2);
    }

    @Test
    void replayBySinceAndUntilTakesTheDeadLettersOfThatTimeOnly() throws Exception {
        fixture.startHub(Map.of("mphub.console.token", TOKEN));
        Receiver payment = fixture.receiver("payment");
        payment.answer(a -> a.webhookId().startsWith("keep-") ? Receiver.Answer.of(204) : Receiver.Answer.of(400));
        List<String> early = fixture.publishOrders("early-", 3);
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.read("mp.dlq.payment", 3,
                Duration.ofSeconds(1)).size() == 3);
        Instant between = Instant.now();
        List<String> late = fixture.publishOrders("late-", 2);
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.read("mp.dlq.payment", 5,
                Duration.ofSeconds(1)).size() == 5);

        payment.answer(a -> Receiver.Answer.of(204));
        JsonNode untilThen = replay("{\"destination\":\"payment\",\"until\":\"" + between + "\"}");
        assertThat(untilThen.path("replayed").path("mp.out.payment").asLong()).isEqualTo(3);
        assertThat(untilThen.path("skipped").path("after_until").asLong()).isEqualTo(2);
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(payment.delivered()).containsAll(early));
        assertThat(payment.delivered()).doesNotContainAnyElementsOf(late);

        JsonNode sinceThen = replay("{\"destination\":\"payment\",\"since\":\"" + between + "\"}");
        assertThat(sinceThen.path("replayed").path("mp.out.payment").asLong()).isEqualTo(2);
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(payment.delivered()).containsAll(late));
    }

    @Test
    void ingestDeadLettersGoBackThroughTheContractOnceItIsFixed(@TempDir Path dir) throws Exception {
        Path schemas = dir.resolve("schemas");
        Files.createDirectories(schemas);
        try (Stream<Path> files = Files.list(Path.of("schemas"))) {
            for (Path f : files.toList()) {
                Files.copy(f, schemas.resolve(f.getFileName()));
            }
        }
        Map<String, String> settings = Map.of("mphub.console.token", TOKEN, "mphub.schemas.dir", schemas.toString());
        fixture.startHub(settings);
        String u = "oHarmony";
        String login = Events.login(u).replace("\"android\"", "\"harmonyos\"");
        fixture.kafka.publish("mp.events.login", u, Events.structured("harmony-1", "mp.user.login", u, login));
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.read("mp.dlq.ingest", 1,
                Duration.ofSeconds(1)).size() == 1);

        // The contract is fixed (the new platform is allowed) and the hub restarted with it.
        fixture.hub.close();
        Path loginSchema = schemas.resolve("mp.user.login.json");
        Files.writeString(loginSchema, Files.readString(loginSchema).replace("\"ohos\"]", "\"ohos\", \"harmonyos\"]"));
        fixture.startHub(settings);
        JsonNode report = replay("{\"ingest\":true,\"reason\":\"schema\"}");
        assertThat(report.path("replayed").path("mp.events.login").asLong()).isEqualTo(1);
        Receiver analytics = fixture.receiver("analytics");
        await().atMost(60, TimeUnit.SECONDS).until(() -> analytics.delivered().contains("harmony-1"));
        assertThat(analytics.attemptsOf("harmony-1").get(0).bodyText()).contains("harmonyos");
        assertThat(fixture.kafka.readAll("mp.dlq.ingest")).hasSize(1);
    }

    @Test
    void theReplayCommandMovesWhatMatchesAndSaysWhenNothingDid(@TempDir Path temp) throws Exception {
        fixture.startHub(Map.of());
        Receiver payment = fixture.receiver("payment");
        payment.answer(a -> a.webhookId().startsWith("cli-") ? Receiver.Answer.of(400) : Receiver.Answer.of(204));
        List<String> refused = fixture.publishOrders("cli-", 2);
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.read("mp.dlq.payment", 2,
                Duration.ofSeconds(1)).size() == 2);
        payment.answer(a -> Receiver.Answer.of(204));
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", fixture.kafka.bootstrapServers());

        JarCommand.Run dry = JarCommand.run(temp, env, "replay", "--destination", "payment", "--reason", "http_4xx",
                "--dry-run");
        assertThat(dry.exit()).as(dry.output()).isZero();
        assertThat(dry.out()).contains("dry run: nothing sent").contains("would put back: 2 (mp.out.payment 2)");
        assertThat(payment.delivered()).doesNotContainAnyElementsOf(refused);

        JarCommand.Run run = JarCommand.run(temp, env, "replay", "--destination", "payment", "--reason", "http_4xx",
                "--since", "1h");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.out()).contains("put back: 2 (mp.out.payment 2)").contains("skipped: 0");
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(payment.delivered()).containsAll(refused));

        JarCommand.Run nothing = JarCommand.run(temp, env, "replay", "--destination", "payment", "--reason", "nosuch");
        assertThat(nothing.exit()).as(nothing.output()).isEqualTo(1);
        assertThat(nothing.err()).contains("no dead letter in mp.dlq.payment matched");
        assertThat(nothing.out()).contains("skipped: 2 (other_reason 2)");

        JarCommand.Run unknown = JarCommand.run(temp, env, "replay", "--destination", "nosuch");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no destination 'nosuch'").contains("usage: java -jar mphub.jar replay");
        JarCommand.Run badTime = JarCommand.run(temp, env, "replay", "--ingest", "--since", "yesterday");
        assertThat(badTime.exit()).isEqualTo(2);
        assertThat(badTime.err()).contains("'yesterday' is not a time");
        JarCommand.Run noKafka = JarCommand.run(temp, Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"), "replay",
                "--ingest");
        assertThat(noKafka.exit()).as(noKafka.output()).isEqualTo(3);
        assertThat(noKafka.err()).contains("Kafka at 127.0.0.1:1 does not answer");
    }

    /**
     * The command killed (SIGKILL) while it moves dead letters, and run again: each is put back once. It moves them in
     * Kafka transactions, one per poll, with its progress: the killed run's open transaction is aborted when the next
     * run starts, and what it committed is not read again.
     */
    @Test
    void theReplayCommandKilledHalfWayAndRunAgainPutsEachDeadLetterBackOnce(@TempDir Path temp) throws Exception {
        String dlq = "mp.dlq.payment";
        String out = "mp.out.payment";
        fixture.kafka.createTopic(dlq, Map.of());
        fixture.kafka.createTopic(out, Map.of());
        List<String> ids = IntStream.range(0, 3000).mapToObj(i -> "killed-" + i).toList();
        ids.forEach(id -> fixture.kafka.publish(dlq, "oKilled" + Math.floorMod(id.hashCode(), 50),
                ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8), Map.of("ce_id", id,
                        DeadLetters.REASON, "http_4xx", DeadLetters.SOURCE_TOPIC, out, "mphub.error.message",
                        "HTTP 400")));
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", fixture.kafka.bootstrapServers());

        Process first = JarCommand.start(env, temp.resolve("first.out"), temp.resolve("first.err"), "replay",
                "--destination", "payment");
        // Killed once its first records are written, committed or not.
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20))
                .until(() -> !fixture.kafka.readAll(out, "read_uncommitted").isEmpty());
        first.destroyForcibly().waitFor();
        // Its open transaction holds read_committed readers until the next run fences it: count what was written.
        int written = fixture.kafka.readAll(out, "read_uncommitted").size();

        JarCommand.Run again = JarCommand.run(temp, env, "replay", "--destination", "payment");
        assertThat(again.exit()).as(again.output()).isZero();
        System.out.printf("replay killed with %d records written for %d dead letters; run again: %s%n", written,
                ids.size(), String.join("; ", again.out().lines().map(String::trim)
                        .filter(l -> l.startsWith("put back:") || l.startsWith("already read")).toList()));
        // What the hub's consumers read (read_committed): the killed run's open transaction is not there.
        assertThat(fixture.kafka.readAll(out, "read_committed")).extracting(r -> TestKafka.header(r, "ce_id"))
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    /** Starts a replay from the console's API and waits for its report. */
    private JsonNode replay(String request) throws Exception {
        String id = console().replay(request);
        await().atMost(60, TimeUnit.SECONDS).until(() -> !console().replayRun(id).path("state").asText()
                .equals("running"));
        JsonNode run = console().replayRun(id);
        assertThat(run.path("state").asText()).as(run.toString()).isEqualTo("done");
        return run.path("report");
    }
}
