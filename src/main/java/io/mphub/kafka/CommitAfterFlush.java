package io.mphub.kafka;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualSyncCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;

/**
 * Offset commits for routes that write to Kafka: at the end of each polled batch of a partition, wait until
 * everything the batch produced is acknowledged, then commit the batch. A crash anywhere before that commit
 * replays the batch: repeats, never losses.
 * <p>
 * As the route's {@code kafkaManualCommitFactory} it makes camel-kafka leave all committing to this bean (camel-kafka
 * picks its no-op commit manager for a custom factory).
 */
public final class CommitAfterFlush implements KafkaManualCommitFactory {

    private final Outbox outbox;

    /** Used by camel-kafka as the factory ({@code #class:io.mphub.kafka.CommitAfterFlush}). */
    public CommitAfterFlush() {
        this(null);
    }

    public CommitAfterFlush(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public KafkaManualCommit newInstance(CamelExchangePayload exchange, KafkaRecordPayload record,
            org.apache.camel.component.kafka.consumer.CommitManager commitManager) {
        return new DefaultKafkaManualSyncCommit(exchange, record, commitManager);
    }

    /** The last step of a route for every record, delivered or dead-lettered. */
    public void commitAtBatchEnd(Exchange exchange) {
        if (Boolean.TRUE.equals(exchange.getMessage().getHeader(KafkaConstants.LAST_RECORD_BEFORE_COMMIT, Boolean.class))) {
            outbox.flushPending();
            KafkaManualCommit commit = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            if (commit != null) {
                commit.commit();
            }
        }
    }
}
