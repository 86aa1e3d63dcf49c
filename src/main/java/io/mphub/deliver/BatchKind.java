package io.mphub.deliver;

import java.net.http.HttpClient;
import java.util.List;

/**
 * How a destination that delivers in batches is spoken to: one request carrying several events, in the platform's
 * own format and auth, and what its answer means for each of them ({@link BatchOutcome}). Forming batches,
 * retrying, splitting a refused batch to find the events it refused, dead letters and offset commits are the same for
 * every kind and stay in {@link BatchDelivery}. A kind builds and signs each attempt afresh; the events, and so
 * anything derived from their ids, are the same on every attempt of one batch.
 */
public interface BatchKind {

    /**
     * The bytes {@code event} adds to a request, as the platform counts them against its limits (the kind's
     * {@link BatchLimits}, which the destination's batch settings may lower, never raise).
     */
    default int size(BatchEvent event) {
        return event.body().length;
    }

    /**
     * @param batch the events in order (never empty), each after the destination's data contract
     * @throws InterruptedException when the hub is stopping
     */
    BatchOutcome attempt(HttpClient http, List<BatchEvent> batch) throws InterruptedException;
}
