package io.mphub.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private static final TopicPartition P0 = new TopicPartition("mp.out.x", 0);
    private static final TopicPartition P1 = new TopicPartition("mp.out.x", 1);
    private final Progress progress = new Progress();

    @Test
    void theOffsetMovesOnlyPastRecordsWithNoUnfinishedOneBeforeThem() {
        Progress.Slot a = progress.add(P0, 10);
        Progress.Slot b = progress.add(P0, 11);
        Progress.Slot c = progress.add(P0, 14); // offsets need not follow on (compaction, transaction markers)

        b.done();
        c.done();
        assertThat(progress.advanced()).isEmpty();
        assertThat(progress.firstUnfinished(P0)).isEqualTo(10);

        a.done();
        assertThat(progress.advanced()).isEqualTo(Map.of(P0, new OffsetAndMetadata(15)));
        assertThat(progress.advanced()).as("nothing moved since").isEmpty();
        assertThat(progress.firstUnfinished(P0)).isNull();
    }

    @Test
    void partitionsMoveEachOnItsOwnAndOneCommitCoversThemAll() {
        progress.add(P0, 0).done();
        Progress.Slot p0Next = progress.add(P0, 1);
        progress.add(P1, 7).done();

        assertThat(progress.advanced()).isEqualTo(Map.of(P0, new OffsetAndMetadata(1), P1, new OffsetAndMetadata(8)));
        p0Next.done();
        assertThat(progress.advanced()).isEqualTo(Map.of(P0, new OffsetAndMetadata(2)));
    }

    @Test
    void aFailedCommitIsOfferedAgainAndAForgottenPartitionStartsAfresh() {
        progress.add(P0, 3).done();
        Map<TopicPartition, OffsetAndMetadata> first = progress.advanced();
        progress.uncommitted(first);
        assertThat(progress.advanced()).isEqualTo(first);

        progress.add(P1, 5);
        progress.forget(List.of(P1));
        assertThat(progress.firstUnfinished(P1)).isNull();
        assertThat(progress.advanced()).isEmpty();
    }
}
