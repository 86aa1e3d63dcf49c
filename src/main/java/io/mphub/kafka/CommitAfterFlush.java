package io.mphub.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.CommitManager;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualSyncCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Offset commits for routes that write to Kafka: when the last record of a poll is finished (passed on or
 * dead-lettered), wait until everything the poll's records produced is acknowledged, then commit every partition
 * the poll read, in one request. A crash anywhere before that commit reads the poll's records again: repeats, never
 * losses.
 * <p>
 * As the route's {@code kafkaManualCommitFactory} it makes camel-kafka leave all committing to this bean (camel-kafka
 * picks its no-op commit manager for a custom factory). Camel runs a consumer's records one after the other on its
 * poll thread, so what a poll has finished is kept per thread. A poll that ends early never reaches its last record:
 * an unhandled failure makes camel-kafka ({@code breakOnFirstError}) close that consumer and read from the committed
 * offsets with a new one, and a stop leaves them for whoever reads next; what such a poll finished is then
 * forgotten, uncommitted.
 * <p>
 * One commit per poll rather than camel-kafka's one per partition: at a steady rate a poll holds a few records of many
 * partitions, and a flush and a synchronous commit for each of them made ingest the hub's slowest step.
 */
public final class CommitAfterFlush implements KafkaManualCommitFactory {

    private final Outbox outbox;
    private final ThreadLocal<Finished> finished = ThreadLocal.withInitial(Finished::new);

    /** Used by camel-kafka as the factory ({@code #class:io.mphub.kafka.CommitAfterFlush}). */
    public CommitAfterFlush() {
        this(null);
    }

    public CommitAfterFlush(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public KafkaManualCommit newInstance(CamelExchangePayload exchange, KafkaRecordPayload record,
            CommitManager commitManager) {
        return new DefaultKafkaManualSyncCommit(exchange, record, commitManager);
    }

    /** The last step of a route for every record, passed on or dead-lettered. */
    public void commitAtBatchEnd(Exchange exchange) {
        if (!(exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT) instanceof DefaultKafkaManualCommit record)) {
            return;
        }
        Finished poll = finished.get().of(record.getConsumer());
        poll.offsets.put(record.getPartition(), new OffsetAndMetadata(record.getRecordOffset() + 1));
        if (Boolean.TRUE.equals(exchange.getMessage().getHeader(KafkaConstants.LAST_POLL_RECORD, Boolean.class))) {
            try {
                outbox.flushPending();
                // Only what this consumer still owns (a poll's records always are, unless a route step ended one
                // early and a rebalance came between): another member's offsets are its own to commit.
                poll.offsets.keySet().retainAll(record.getConsumer().assignment());
                record.getConsumer().commitSync(poll.offsets, Duration.ofMillis(record.getCommitTimeout()));
            } finally {
                poll.offsets.clear();
            }
        }
    }

    /** What the current poll of one consumer has finished: per partition, the offset to commit. */
    private static final class Finished {
        private Consumer<?, ?> consumer;
        private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();

        /** This thread's record, forgetting what another (closed) consumer of it had finished. */
        Finished of(Consumer<?, ?> current) {
            if (consumer != current) {
                consumer = current;
                offsets.clear();
            }
            return this;
        }
    }
}
