package io.mphub.deliver;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which polled records are finished (delivered, dead-lettered, withheld), per partition, and so which offset may be
 * committed: the first one not finished. Records finish in any order across users; the offset only moves past a
 * record once every record before it on its partition is finished, so a hub killed at any moment repeats, never loses.
 * <p>
 * Only the consumer's thread calls this class; a worker marks its {@link Slot} done.
 */
final class Progress {

    /** One polled record. */
    static final class Slot {
        final long offset;
        private volatile boolean done;

        Slot(long offset) {
            this.offset = offset;
        }

        void done() {
            done = true;
        }

        boolean isDone() {
            return done;
        }
    }

    private final Map<TopicPartition, ArrayDeque<Slot>> polled = new HashMap<>();
    /** Per partition, the offset after the last finished record with none unfinished before it. */
    private final Map<TopicPartition, Long> finishedTo = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    Slot add(TopicPartition partition, long offset) {
        Slot slot = new Slot(offset);
        polled.computeIfAbsent(partition, p -> new ArrayDeque<>()).add(slot);
        return slot;
    }

    /** The offsets that moved since the last call, to commit. */
    Map<TopicPartition, OffsetAndMetadata> advanced() {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        polled.forEach((partition, slots) -> {
            while (!slots.isEmpty() && slots.peekFirst().done) {
                finishedTo.put(partition, slots.pollFirst().offset + 1);
            }
            Long to = finishedTo.get(partition);
            if (to != null && !to.equals(committed.get(partition))) {
                committed.put(partition, to);
                commit.put(partition, new OffsetAndMetadata(to));
            }
        });
        return commit;
    }

    /** A commit that failed: the next {@link #advanced()} offers its partitions again. */
    void uncommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> committed.remove(partition, offset.offset()));
    }

    /**
     * Where a partition must be read again from, to leave out nothing unfinished: its first record not finished;
     * null when every record polled from it is finished (its position is right as it is).
     */
    Long firstUnfinished(TopicPartition partition) {
        ArrayDeque<Slot> slots = polled.get(partition);
        if (slots == null) {
            return null;
        }
        return slots.stream().filter(s -> !s.done).findFirst().map(s -> s.offset).orElse(null);
    }

    /** Records polled and not yet past the commit point (finished or not), in all partitions. */
    int held() {
        int n = 0;
        for (ArrayDeque<Slot> slots : polled.values()) {
            n += slots.size();
        }
        return n;
    }

    /** Forgets partitions: revoked, or read again from their first unfinished record. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> {
            polled.remove(p);
            finishedTo.remove(p);
            committed.remove(p);
        });
    }
}
