package io.mphub.deliver;

import java.time.Duration;

/** What one delivery attempt came to, decided per provider (see {@link WebhookOutcomes}). */
public sealed interface Outcome {

    record Delivered(int status) implements Outcome {
    }

    /** Worth another attempt; {@code retryAfter} is the receiver's own wish when it said one (429/503). */
    record Retry(String reason, String message, Duration retryAfter) implements Outcome {
    }

    /** Will never succeed as sent: dead-letter at once. */
    record Permanent(String reason, String message) implements Outcome {
    }

    /**
     * Not delivered and never will be, yet nothing went wrong: the provider declined it by its own rule (the user
     * gave no consent to a notification, an event type the provider does not take). Counted and committed, not
     * dead-lettered.
     */
    record Skipped(String reason, String message) implements Outcome {
    }

    /** The provider's quota is spent: try again after {@code window}, without spending one of the record's attempts. */
    record Wait(String reason, String message, Duration window) implements Outcome {
    }
}
