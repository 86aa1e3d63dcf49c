package io.mphub.event;

/**
 * An event that breaks the contract. The reason is a short code that goes into {@code mphub.error.reason}
 * on the ingest dead-letter record; the message says exactly what is wrong (for a schema failure: the field
 * path and the rule broken).
 */
public class RejectedEventException extends RuntimeException {

    /** Not JSON at all. */
    public static final String PARSE = "parse";
    /** JSON, but not a CloudEvent by our contract (missing or malformed attributes). */
    public static final String ENVELOPE = "envelope";
    /** A CloudEvent of a type the contract does not define. */
    public static final String UNKNOWN_TYPE = "unknown_type";
    /** The event's data fails its type's JSON Schema. */
    public static final String SCHEMA = "schema";

    private final String reason;

    public RejectedEventException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
