package io.mphub.testing;

import java.util.List;

import io.mphub.deliver.BatchEvent;
import io.mphub.deliver.BatchKind;

/** Events as the batch core hands them to a kind's attempt: each encoded by that kind first. */
public final class Batches {

    private Batches() {
    }

    public static List<BatchEvent> encoded(BatchKind kind, List<BatchEvent> events) {
        return events.stream().map(e -> {
            BatchKind.Encoded encoded = kind.encode(e);
            if (encoded.problem() != null) {
                throw new AssertionError("event " + e.id() + " cannot be encoded: " + encoded.problem());
            }
            return new BatchEvent(e.id(), e.type(), encoded.bytes());
        }).toList();
    }
}
