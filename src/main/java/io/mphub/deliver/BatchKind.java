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
     * The event as the platform takes it: the bytes one record adds to a request, which count against the kind's
     * {@link BatchLimits} (the destination's batch settings may lower them, never raise them). Made once per event,
     * whatever the attempts. An event that cannot be a record (no user, no time) is refused here: it is dead-lettered
     * in its place and never sent.
     */
    default Encoded encode(BatchEvent event) {
        return Encoded.of(event.body());
    }

    /**
     * An event as its platform's record, or why it cannot be one (dead-lettered), or why this destination does not
     * take it at all (skipped: finished without a request, counted, as a per-event kind's {@link Outcome.Skipped}).
     */
    record Encoded(byte[] bytes, Outcome.Permanent problem, Outcome.Skipped skipped) {

        public static Encoded of(byte[] bytes) {
            return new Encoded(bytes, null, null);
        }

        public static Encoded refused(Outcome.Permanent problem) {
            return new Encoded(null, problem, null);
        }

        public static Encoded skipped(Outcome.Skipped skipped) {
            return new Encoded(null, null, skipped);
        }
    }

    /**
     * @param batch the events in order (never empty), each after the destination's data contract, its body as
     *              {@link #encode} made it
     * @throws InterruptedException when the hub is stopping
     */
    BatchOutcome attempt(HttpClient http, List<BatchEvent> batch) throws InterruptedException;
}
