package io.mphub.deliver;

import java.util.Map;

/** What one attempt of one batch came to, decided per kind from the platform's answer. */
public sealed interface BatchOutcome {

    /**
     * Every event of the batch came to this: delivered, skipped, retry (the whole batch again, with backoff), wait,
     * refused (the hub's own account: the destination pauses), or permanent. A permanent refusal of several events is
     * taken as a refusal because of some of them (400, 413): the batch is split until those are alone, and only they
     * are dead-lettered, with this outcome's reason ({@code too_large} for a 413).
     */
    record All(Outcome outcome) implements BatchOutcome {
    }

    /**
     * The platform took the batch but named events it refused for good (a 2xx with per-event errors), by their index
     * in the batch, each with its reason: those are dead-lettered, the others are delivered.
     *
     * @param status its HTTP status, for the delivery log
     */
    record Named(Map<Integer, Outcome.Permanent> refused, int status) implements BatchOutcome {
    }
}
