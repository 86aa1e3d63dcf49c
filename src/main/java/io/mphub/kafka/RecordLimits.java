package io.mphub.kafka;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The largest record each topic the hub writes takes, read from the topics at start-up, and a record's size as Kafka
 * counts it. The hub checks a record before it sends it: a record Kafka would refuse for its size would otherwise fail
 * the same way every time it is read again, and hold up its partition for good.
 */
public record RecordLimits(Map<String, Integer> byTopic) {

    /** Kafka's default {@code max.message.bytes}, for a topic whose own limit was not read. */
    public static final int KAFKA_DEFAULT = 1_048_588;
    /** Kept free below a limit: compression can add a few bytes to a batch that does not compress. */
    static final int MARGIN = 512;

    public RecordLimits {
        byTopic = Map.copyOf(byTopic);
    }

    /** These limits and {@code more}'s (a destination added while the hub runs). */
    public RecordLimits with(RecordLimits more) {
        Map<String, Integer> all = new HashMap<>(byTopic);
        all.putAll(more.byTopic);
        return new RecordLimits(all);
    }

    /** The most bytes a record sent to {@code topic} may count. */
    public int of(String topic) {
        return byTopic.getOrDefault(topic, KAFKA_DEFAULT) - MARGIN;
    }

    public boolean fits(ProducerRecord<String, byte[]> record) {
        return sizeOf(record) <= of(record.topic());
    }

    /** The upper bound the producer checks against {@code max.request.size}: the record alone in a batch, uncompressed. */
    public static int sizeOf(ProducerRecord<String, byte[]> record) {
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE, key,
                record.value(), record.headers().toArray());
    }
}
