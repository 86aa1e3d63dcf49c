package io.mphub.kafka;

/**
 * A record larger than its topic takes: it is not sent, since Kafka would refuse it every time. Ingest dead-letters the
 * event it came from with reason {@code too_large}.
 */
public class OversizedRecordException extends RuntimeException {

    public OversizedRecordException(String topic, int size, int limit) {
        super("the record would be " + size + " bytes; " + topic + " takes at most " + limit, null, false, false);
    }
}
