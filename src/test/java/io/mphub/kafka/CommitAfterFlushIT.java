package io.mphub.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import io.mphub.testing.TestKafka;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ingest's commits, on a real broker and camel-kafka's own consumer: nothing a poll read is committed before the poll's
 * last record is finished, and then every partition it read is, in one commit.
 */
class CommitAfterFlushIT {

    private static final String TOPIC = "mp.events.commits";
    private static final String GROUP = "mphub.ingest.commits";

    /** What the route saw of one record: where it was, and what the group had committed while it was processed. */
    record Seen(int partition, long offset, boolean lastOfPoll, Map<TopicPartition, OffsetAndMetadata> committed) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private TestKafka kafka;
    private Admin admin;
    private Outbox outbox;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() throws Exception {
        kafka = TestKafka.start();
        admin = kafka.admin();
        kafka.createTopic(TOPIC, Map.of());
        outbox = Outbox.connect(new KafkaClients(kafka.bootstrapServers(), "none", RecordLimits.KAFKA_DEFAULT),
                new RecordLimits(Map.of()), Set.of());
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
        outbox.close();
        admin.close();
        kafka.close();
    }

    @Test
    void aPollIsCommittedOnceItsLastRecordIsFinishedEveryPartitionAtOnce() throws Exception {
        // Two records on each partition, there before the consumer starts: its first poll holds several partitions.
        int partitions = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().size();
        for (int p = 0; p < partitions; p++) {
            for (int i = 0; i < 2; i++) {
                kafka.publish(TOPIC, p, "user-" + p, "event-" + p + "-" + i);
            }
        }
        startRoute();

        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.groupCaughtUp(GROUP, TOPIC));
        assertThat(seen).hasSize(2 * partitions);
        // Within a poll, while any of its records is processed, none of what the poll read is committed yet.
        int pollStart = 0;
        boolean severalPartitionsInOnePoll = false;
        for (int i = 0; i < seen.size(); i++) {
            Seen s = seen.get(i);
            for (Seen earlier : seen.subList(pollStart, i)) {
                OffsetAndMetadata committed = s.committed().get(new TopicPartition(TOPIC, earlier.partition()));
                assertThat(committed == null ? 0 : committed.offset())
                        .as("partition %d committed while record %d of its poll was processed", earlier.partition(), i)
                        .isLessThanOrEqualTo(earlier.offset());
                severalPartitionsInOnePoll |= earlier.partition() != s.partition();
            }
            if (s.lastOfPoll()) {
                pollStart = i + 1;
            }
        }
        assertThat(severalPartitionsInOnePoll).as("a poll held records of several partitions").isTrue();
        // And after the poll every partition is committed past its records.
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata().get();
        IntStream.range(0, partitions).forEach(p ->
                assertThat(committed.get(new TopicPartition(TOPIC, p)).offset()).isEqualTo(2));
    }

    private void startRoute() throws Exception {
        camel = new DefaultCamelContext();
        CommitAfterFlush offsets = new CommitAfterFlush(outbox);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kafka:" + TOPIC + "?brokers=" + kafka.bootstrapServers() + "&groupId=" + GROUP
                        + "&autoOffsetReset=earliest&autoCommitEnable=false&allowManualCommit=true"
                        + "&kafkaManualCommitFactory=#class:io.mphub.kafka.CommitAfterFlush&breakOnFirstError=true")
                        .process(CommitAfterFlushIT.this::see)
                        .bean(offsets, "commitAtBatchEnd");
            }
        });
        camel.start();
    }

    private void see(Exchange exchange) throws Exception {
        seen.add(new Seen(exchange.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class),
                exchange.getMessage().getHeader(KafkaConstants.OFFSET, Long.class),
                Boolean.TRUE.equals(exchange.getMessage().getHeader(KafkaConstants.LAST_POLL_RECORD, Boolean.class)),
                admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()));
    }
}
