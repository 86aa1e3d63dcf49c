package io.mphub.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits what a batch of records has finished (delivered or dead-lettered), partition by partition, up to the
 * first record of each partition that is not finished: at least once per record, whatever the batch's order across
 * partitions. One synchronous commit for all partitions, on the consumer's own thread (the batch's route runs there).
 * A failed commit throws; the records are then read again, a repeat, never a loss.
 */
public final class BatchOffsets {

    private static final Logger LOG = LoggerFactory.getLogger(BatchOffsets.class);

    private BatchOffsets() {
    }

    /**
     * A batch's records of partitions this consumer still owns, each with its commit handle (null for a record read
     * without one), read once: looked up again per record at commit, in Camel's case-insensitive header map, it cost
     * about 4 % of the batch consumer's CPU.
     */
    public record Owned(List<Exchange> records, List<DefaultKafkaManualCommit> commits) {
    }

    /**
     * The records of partitions this consumer still owns. Camel keeps a batch across polls, so it may hold records of
     * a partition revoked since: its new owner reads them from the committed offset, in order, and this one must
     * neither deliver them (out of order, twice) nor commit them (its commit could move that offset back).
     */
    public static Owned owned(List<Exchange> records) {
        Set<TopicPartition> assigned = null;
        List<Exchange> owned = new ArrayList<>(records.size());
        List<DefaultKafkaManualCommit> commits = new ArrayList<>(records.size());
        Map<TopicPartition, long[]> dropped = null;
        for (Exchange record : records) {
            DefaultKafkaManualCommit manual = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT)
                    instanceof DefaultKafkaManualCommit m ? m : null;
            if (manual != null) {
                if (assigned == null) {
                    assigned = manual.getConsumer().assignment();
                }
                if (!assigned.contains(manual.getPartition())) {
                    long offset = manual.getRecordOffset();
                    dropped = dropped == null ? new HashMap<>() : dropped;
                    dropped.merge(manual.getPartition(), new long[] {offset, offset},
                            (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
                    continue;
                }
            }
            owned.add(record);
            commits.add(manual);
        }
        if (dropped != null) {
            // Seen only around a rebalance; said once per batch, so that a record never delivered can be traced.
            StringBuilder which = new StringBuilder();
            dropped.forEach((p, range) -> which.append(which.length() == 0 ? "" : ", ").append(p).append('@')
                    .append(range[0]).append(range[0] == range[1] ? "" : "-" + range[1]));
            LOG.info("a batch held records of partitions this consumer no longer owns ({}); their owner reads them"
                    + " from the committed offset", which);
        }
        return new Owned(owned, commits);
    }

    /**
     * @param commits  the commit handles of the batch's records in the order they were polled (each partition's in
     *                 offset order), as {@link #owned} gives them
     * @param finished whether the record at that index is finished
     */
    public static void commit(List<DefaultKafkaManualCommit> commits, IntPredicate finished) {
        // Each partition's last finished record before its first unfinished one.
        Map<TopicPartition, DefaultKafkaManualCommit> last = new HashMap<>();
        Set<TopicPartition> held = new HashSet<>();
        Consumer<?, ?> consumer = null;
        for (int i = 0; i < commits.size(); i++) {
            DefaultKafkaManualCommit manual = commits.get(i);
            if (manual == null) {
                continue;
            }
            consumer = manual.getConsumer();
            TopicPartition partition = manual.getPartition();
            if (held.contains(partition)) {
                continue;
            }
            if (finished.test(i)) {
                last.put(partition, manual);
            } else {
                held.add(partition);
            }
        }
        if (consumer != null) {
            Set<TopicPartition> assigned = consumer.assignment();
            Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
            last.forEach((partition, manual) -> {
                if (assigned.contains(partition)) {
                    next.put(partition, new OffsetAndMetadata(manual.getRecordOffset() + 1));
                }
            });
            if (!next.isEmpty()) {
                consumer.commitSync(next);
            }
        }
    }
}
