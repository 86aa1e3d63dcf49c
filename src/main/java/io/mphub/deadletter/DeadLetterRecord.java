package io.mphub.deadletter;

import java.util.Arrays;

import io.mphub.kafka.HeaderValues;
import io.mphub.kafka.RecordLimits;
import io.mphub.sign.Digests;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A dead letter that fits its topic. Whole when it can be: the original key, value and headers, plus the error
 * headers. When the whole does not fit (a record near an input topic's limit gains the error headers; a dead-letter
 * topic may take less than the topic the record came from), what fits is kept, in this order: the error headers
 * always (reason, message, source coordinates), the key, the original headers, and as much of the value as the rest
 * leaves room for, from its start. {@code mphub.truncated} then says what was cut, and
 * {@code mphub.original.bytes} and {@code mphub.original.sha256} describe the whole value, so a truncated dead letter
 * is still a faithful account of the record, and whoever re-publishes dead letters can tell it is not the whole.
 */
final class DeadLetterRecord {

    static final String TRUNCATED = "mphub.truncated";
    static final String ORIGINAL_BYTES = "mphub.original.bytes";
    static final String ORIGINAL_SHA256 = "mphub.original.sha256";

    private DeadLetterRecord() {
    }

    /**
     * @param original the record's own headers, as it was read
     * @param error    the {@code mphub.*} headers saying why and from where
     * @param limit    the most bytes the record may count ({@link RecordLimits#sizeOf})
     */
    static ProducerRecord<String, byte[]> fitting(String topic, String key, byte[] value, Headers original,
            Headers error, int limit) {
        ProducerRecord<String, byte[]> whole = new ProducerRecord<>(topic, null, key, value, join(original, error));
        if (RecordLimits.sizeOf(whole) <= limit) {
            return whole;
        }
        byte[] body = value == null ? new byte[0] : value;
        RecordHeaders described = join(error, new RecordHeaders()
                .add(ORIGINAL_BYTES, HeaderValues.utf8(Integer.toString(body.length)))
                .add(ORIGINAL_SHA256, HeaderValues.utf8(Digests.sha256Hex(body))));
        // Cut from the value first, then the original headers, then the key: the error headers always stay.
        ProducerRecord<String, byte[]> cut = prefix(topic, key, body, join(original, described, "value"), limit);
        if (cut == null) {
            cut = prefix(topic, key, body, join(new RecordHeaders(), described, "value,headers"), limit);
        }
        if (cut == null) {
            cut = prefix(topic, null, body, join(new RecordHeaders(), described, "value,headers,key"), limit);
        }
        if (cut == null) {
            throw new IllegalStateException("even the error headers of a dead letter exceed " + limit + " bytes");
        }
        return cut;
    }

    /** The record with as much of the start of {@code body} as fits, or null when even none of it does. */
    private static ProducerRecord<String, byte[]> prefix(String topic, String key, byte[] body, Headers headers,
            int limit) {
        int room = limit - RecordLimits.sizeOf(new ProducerRecord<>(topic, null, key, new byte[0], headers));
        if (room < 0) {
            return null;
        }
        // The value's length is written as a varint, so a longer value can take up to 4 more bytes than it adds.
        int length = Math.max(0, Math.min(body.length, room - 4));
        return new ProducerRecord<>(topic, null, key, Arrays.copyOf(body, length), headers);
    }

    private static RecordHeaders join(Headers first, Headers second) {
        RecordHeaders all = new RecordHeaders();
        first.forEach(all::add);
        second.forEach(all::add);
        return all;
    }

    private static Headers join(Headers first, Headers second, String truncated) {
        RecordHeaders all = join(first, second);
        all.add(TRUNCATED, HeaderValues.utf8(truncated));
        return all;
    }

    /** For tests: a header's text, or null. */
    static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : HeaderValues.text(h.value());
    }
}
