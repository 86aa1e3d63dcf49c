package io.mphub.kafka;

/**
 * Kafka did not accept a record the hub produced. The route must not handle this: its batch is not committed
 * and is read again, so nothing it produced can be lost.
 */
public class OutboxWriteException extends RuntimeException {

    public OutboxWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
