package io.mphub.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Puts a pausing consumer back at its committed offsets, so nothing it polled but did not finish is skipped.
 * <p>
 * Why: camel-kafka 4.18, when a record fails while its consumer is paused, neither reconnects nor seeks; it has
 * already polled past that record and the rest of the batch, and on resume it seeks only the partitions that
 * have a committed offset. The records of a partition with no commit yet would be skipped. This runs in the
 * failing exchange, on the consumer's own thread (Kafka consumers are single-threaded), before the pause takes
 * effect; a partition with no committed offset goes back to its beginning (the hub's consumers start at the
 * earliest offset), a repeat of what may already have been sent, never a loss.
 */
public final class Rewind {

    public void toCommitted(Exchange exchange) {
        Object commit = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT);
        if (!(commit instanceof DefaultKafkaManualCommit manual)) {
            return;
        }
        Consumer<?, ?> consumer = manual.getConsumer();
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        List<TopicPartition> neverCommitted = new ArrayList<>();
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata offset = committed.get(tp);
            if (offset != null) {
                consumer.seek(tp, offset.offset());
            } else {
                neverCommitted.add(tp);
            }
        }
        consumer.seekToBeginning(neverCommitted);
    }
}
