package io.mphub.deliver;

import java.time.Duration;

/**
 * What one delivery attempt came to, decided per kind from the provider's answer ("answers" classes say what each
 * provider's answers mean; {@link HttpAnswers} what an HTTP status means).
 */
public sealed interface Outcome {

    /** The outcome as the delivery log names it: {@code delivered}, {@code retry}, {@code permanent}, … */
    String name();

    /** Why, as a code (a dead letter's {@code mphub.error.reason}, a metric's tag). */
    String reason();

    /** What the receiver answered, in words: {@code HTTP 503}, an errcode, a network failure's class. */
    String message();

    record Delivered(int status) implements Outcome {
        @Override
        public String name() {
            return "delivered";
        }

        @Override
        public String reason() {
            return "ok";
        }

        @Override
        public String message() {
            return "HTTP " + status;
        }
    }

    /** Worth another attempt; {@code retryAfter} is the receiver's own wish when it said one (429/503). */
    record Retry(String reason, String message, Duration retryAfter) implements Outcome {
        @Override
        public String name() {
            return "retry";
        }
    }

    /** Will never succeed as sent: dead-letter at once. */
    record Permanent(String reason, String message) implements Outcome {
        @Override
        public String name() {
            return "permanent";
        }
    }

    /**
     * Not delivered and never will be, yet nothing went wrong: the provider declined it by its own rule (the user
     * gave no consent to a notification, an event type the provider does not take). Counted and committed, not
     * dead-lettered.
     */
    record Skipped(String reason, String message) implements Outcome {
        @Override
        public String name() {
            return "skipped";
        }
    }

    /** The provider's quota is spent: try again after {@code window}, without spending one of the record's attempts. */
    record Wait(String reason, String message, Duration window) implements Outcome {
        @Override
        public String name() {
            return "wait";
        }
    }

    /**
     * The provider refuses the hub's own account (a wrong key or secret, the clock off, no permission): every event
     * would fail alike until an operator fixes a setting, which {@code message} names. Like a {@link Wait}: the
     * destination pauses for {@code window} without spending an attempt, nothing is dead-lettered; and it is logged as
     * an error, since only an operator can end it.
     */
    record Refused(String reason, String message, Duration window) implements Outcome {
        @Override
        public String name() {
            return "refused";
        }
    }
}
