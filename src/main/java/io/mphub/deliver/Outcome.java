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
}
