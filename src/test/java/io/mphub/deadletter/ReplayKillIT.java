package io.mphub.deadletter;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import io.mphub.kafka.KafkaClients;
import io.mphub.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A replay that dies half-way (its process killed between sending records and committing its progress) and is run
 * again sends each dead letter once: what the dead run sent is in an aborted transaction, which the hub's consumers
 * (read_committed) never see, and its progress was not committed, so the second run does the whole of it.
 */
class ReplayKillIT {

    private static final String DLQ = "mp.dlq.kill";
    private static final String OUT = "mp.out.kill";
    private static final int LETTERS = 10;
    private static TestKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = TestKafka.start();
        kafka.createTopic(DLQ, Map.of());
        kafka.createTopic(OUT, Map.of());
        IntStream.range(0, LETTERS).forEach(i -> kafka.publish(DLQ, "user-" + (i % 3),
                ("{\"id\":\"kill-" + i + "\"}").getBytes(), Map.of("ce_id", "kill-" + i,
                        DeadLetters.REASON, "http_4xx", DeadLetters.SOURCE_TOPIC, OUT, "mphub.error.message", "HTTP 400")));
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void aReplayKilledHalfWayAndRunAgainSendsEachDeadLetterOnce() {
        KafkaClients clients = new KafkaClients(kafka.bootstrapServers(), "none", 1 << 20);
        Replay.Request request = new Replay.Request(DLQ, Set.of(OUT), Optional.of("http_4xx"), Optional.empty(),
                Optional.empty(), false);
        int[] sent = {0};
        Replay dying = new Replay(clients, config -> new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer()) {
            @Override
            public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
                if (++sent[0] == 6) {
                    flush(); // the five before it reached the broker: only the commit is missing
                    throw new KafkaException("killed");
                }
                return super.send(record);
            }
        });
        assertThatThrownBy(() -> dying.run(request)).hasMessageContaining("killed");
        assertThat(kafka.read(OUT, 5, Duration.ofSeconds(5), "read_uncommitted"))
                .as("the dead run's sends are in the log, uncommitted").hasSize(5);

        Replay.Report report = new Replay(clients).run(request);
        assertThat(report.replayed()).isEqualTo(Map.of(OUT, (long) LETTERS));
        assertThat(report.earlier()).isZero();

        List<ConsumerRecord<String, byte[]>> delivered = kafka.read(OUT, LETTERS + 5, Duration.ofSeconds(5),
                "read_committed");
        assertThat(delivered).extracting(r -> TestKafka.header(r, "ce_id"))
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, LETTERS).mapToObj(i -> "kill-" + i).toList());
        assertThat(delivered).allSatisfy(r -> {
            assertThat(TestKafka.header(r, Replay.REPLAYED_FROM)).startsWith(DLQ + "/");
            assertThat(TestKafka.header(r, Replay.REPLAY_ID)).isEqualTo(request.id());
            assertThat(TestKafka.header(r, DeadLetters.REASON)).as("the dead letter's own headers are gone").isNull();
            assertThat(TestKafka.header(r, "mphub.error.message")).isNull();
        });
        assertThat(kafka.read(OUT, LETTERS + 6, Duration.ofSeconds(3), "read_uncommitted")).hasSize(LETTERS + 5);

        // The same request again: everything was done; nothing is sent twice.
        Replay.Report again = new Replay(clients).run(request);
        assertThat(again.replayed()).isEmpty();
        assertThat(again.earlier()).isEqualTo(LETTERS);
        assertThat(kafka.read(OUT, LETTERS + 1, Duration.ofSeconds(3), "read_committed")).hasSize(LETTERS);
    }
}
