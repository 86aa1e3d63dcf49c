package io.mphub.deliver;

/**
 * A record the destination will not take: it goes to {@code mp.dlq.<destination>} with {@code reason}
 * ({@code http_4xx}, {@code retries_exhausted}, …) as {@code mphub.error.reason}.
 */
public class UndeliverableException extends RuntimeException {

    /** Larger than the destination (or a topic) takes. */
    public static final String TOO_LARGE = "too_large";
    /** The hub could not make a request of it (no event id, a body its data contract cannot read, …). */
    public static final String INTERNAL = "internal";

    private final String reason;
    private final int attempts;

    public UndeliverableException(String reason, String message, int attempts) {
        super(message, null, false, false);
        this.reason = reason;
        this.attempts = attempts;
    }

    public String reason() {
        return reason;
    }

    public int attempts() {
        return attempts;
    }
}
