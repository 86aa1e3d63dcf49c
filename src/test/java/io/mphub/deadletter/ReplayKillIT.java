package io.mphub.deadletter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.mphub.kafka.KafkaClients;
import io.mphub.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A replay that dies half-way, as a killed process does (its records and its progress sent, its transaction neither
 * committed nor aborted), and is run again sends each dead letter once: the new run fences the dead one, whose open
 * transaction is aborted, so the hub's consumers (read_committed) never see its records, and reads the progress that
 * was committed. The same holds for two runs of one request at once, and for a relative window run again later.
 */
class ReplayKillIT {

    private static final String DLQ = "mp.dlq.kill";
    private static final String OUT = "mp.out.kill";
    private TestKafka kafka;
    private KafkaClients clients;

    @BeforeEach
    void start() throws Exception {
        kafka = TestKafka.start();
        kafka.createTopic(DLQ, Map.of());
        kafka.createTopic(OUT, Map.of());
        clients = new KafkaClients(kafka.bootstrapServers(), "none", 1 << 20);
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @Test
    void aReplayKilledBeforeItsCommitAndRunAgainSendsEachDeadLetterOnce() {
        List<String> ids = deadLetters(10);
        ReplayRequest request = request("http_4xx", null);
        Replay dying = new Replay(clients, config -> new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer()) {
            @Override
            public void commitTransaction() {
                flush(); // its records and its progress are with the broker: only the commit is missing
                throw new KafkaException("killed");
            }

            @Override
            public void close() {
                super.close(Duration.ZERO); // a killed process aborts nothing
            }
        });
        assertThatThrownBy(() -> dying.run(request)).hasMessageContaining("killed");
        assertThat(kafka.read(OUT, ids.size(), Duration.ofSeconds(5), "read_uncommitted"))
                .as("the dead run's records are in the log, in a transaction left open").hasSize(ids.size());

        Replay.Report report = new Replay(clients).run(request);
        assertThat(report.replayed()).isEqualTo(Map.of(OUT, (long) ids.size()));
        assertThat(report.earlier()).as("the dead run's progress was never committed").isZero();

        List<ConsumerRecord<String, byte[]>> delivered = kafka.readAll(OUT, "read_committed");
        assertThat(delivered).extracting(r -> TestKafka.header(r, "ce_id")).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(delivered).allSatisfy(r -> {
            assertThat(TestKafka.header(r, Replay.REPLAYED_FROM)).startsWith(DLQ + "/");
            assertThat(TestKafka.header(r, Replay.REPLAY_ID)).isEqualTo(request.id());
            assertThat(TestKafka.header(r, DeadLetters.REASON)).as("the dead letter's own headers are gone").isNull();
            assertThat(TestKafka.header(r, "mphub.error.message")).isNull();
        });

        // The same request again: everything was done; nothing is sent twice.
        Replay.Report again = new Replay(clients).run(request);
        assertThat(again.replayed()).isEmpty();
        assertThat(again.earlier()).isEqualTo(ids.size());
        assertThat(kafka.readAll(OUT, "read_committed")).hasSize(ids.size());
    }

    @Test
    void twoRunsOfOneRequestAtOnceSendEachDeadLetterOnce() throws Exception {
        List<String> ids = deadLetters(400);
        ReplayRequest request = request(null, null);
        List<CompletableFuture<Object>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return new Replay(clients).run(request);
                } catch (KafkaException fenced) {
                    return fenced; // the run that was fenced by the other stops; what it committed stays
                }
            }));
        }
        for (CompletableFuture<Object> run : runs) {
            run.get(2, TimeUnit.MINUTES);
        }
        new Replay(clients).run(request); // whatever a fenced run left is finished here
        assertThat(kafka.readAll(OUT, "read_committed"))
                .extracting(r -> TestKafka.header(r, "ce_id")).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aRelativeWindowIsKeptByARunThatDidNotFinishAndResolvedAnewAfterOneThatDid() {
        List<String> ids = deadLetters(5);
        Instant first = Instant.now();
        ReplayRequest sinceTwoHours = ReplayRequest.of("kill", List.of(), null, "2h", null, false, first);
        int[] commits = {0};
        Replay dyingAtTheEnd = new Replay(clients, config -> new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer()) {
            @Override
            public void commitTransaction() {
                if (++commits[0] == 2) {
                    throw new KafkaException("killed"); // its records are committed; "reached the end" is not
                }
                super.commitTransaction();
            }

            @Override
            public void close() {
                super.close(Duration.ZERO);
            }
        });
        assertThatThrownBy(() -> dyingAtTheEnd.run(sinceTwoHours)).hasMessageContaining("killed");

        // Run again three hours later: the same request (as written), over the window its first run resolved.
        ReplayRequest later = ReplayRequest.of("kill", List.of(), null, "2h", null, false, first.plusSeconds(3 * 3600));
        assertThat(later.id()).isEqualTo(sinceTwoHours.id());
        Replay.Report again = new Replay(clients).run(later);
        assertThat(again.since()).isEqualTo(sinceTwoHours.since().orElseThrow().toString());
        assertThat(again.replayed()).isEmpty();
        assertThat(again.earlier()).isEqualTo(ids.size());

        // That run reached its end: the next resolves its window anew, and replays only what is new.
        deadLetters("new-", 3);
        Instant third = Instant.now().plusSeconds(60);
        Replay.Report next = new Replay(clients).run(ReplayRequest.of("kill", List.of(), null, "2h", null, false,
                third));
        assertThat(next.since()).isEqualTo(third.minusSeconds(2 * 3600).toString());
        assertThat(next.replayedCount()).isEqualTo(3);
        assertThat(kafka.readAll(OUT, "read_committed")).hasSize(8);
    }

    private List<String> deadLetters(int n) {
        return deadLetters("kill-", n);
    }

    private List<String> deadLetters(String prefix, int n) {
        List<String> ids = IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
        ids.forEach(id -> kafka.publish(DLQ, "user-" + (id.hashCode() % 7), ("{\"id\":\"" + id + "\"}").getBytes(),
                Map.of("ce_id", id, DeadLetters.REASON, "http_4xx", DeadLetters.SOURCE_TOPIC, OUT,
                        "mphub.error.message", "HTTP 400")));
        return ids;
    }

    private static ReplayRequest request(String reason, String since) {
        return new ReplayRequest(DLQ, Set.of(OUT), Optional.ofNullable(reason), Optional.empty(), Optional.empty(),
                false, "reason=" + reason + " since=" + since);
    }
}
