package io.mphub.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.mphub.kafka.HeaderValues;
import io.mphub.kafka.RecordLimits;
import io.mphub.sign.Digests;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static io.mphub.deadletter.DeadLetterRecord.header;
import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterRecordTest {

    private static final int LIMIT = 10_000;

    @Test
    void aRecordThatFitsIsKeptWholeWithTheErrorHeadersAdded() {
        byte[] value = "{\"id\":\"e1\"}".getBytes(StandardCharsets.UTF_8);
        ProducerRecord<String, byte[]> record = DeadLetterRecord.fitting("mp.dlq.ingest", "oUser", value,
                original(10), error(), LIMIT);

        assertThat(record.key()).isEqualTo("oUser");
        assertThat(record.value()).isEqualTo(value);
        assertThat(header(record.headers(), "x-producer")).isEqualTo("checkout");
        assertThat(header(record.headers(), "mphub.error.reason")).isEqualTo("parse");
        assertThat(header(record.headers(), DeadLetterRecord.TRUNCATED)).isNull();
    }

    @Test
    void aValueTooLargeToFitIsCutToWhatFitsAndSaysSo() {
        byte[] value = filled(LIMIT);
        ProducerRecord<String, byte[]> record = DeadLetterRecord.fitting("mp.dlq.ingest", "oUser", value,
                original(10), error(), LIMIT);

        assertThat(RecordLimits.sizeOf(record)).isLessThanOrEqualTo(LIMIT).isGreaterThan(LIMIT - 16);
        assertThat(record.value()).isEqualTo(Arrays.copyOf(value, record.value().length));
        assertThat(record.key()).isEqualTo("oUser");
        assertThat(header(record.headers(), "x-producer")).isEqualTo("checkout");
        assertThat(header(record.headers(), "mphub.error.reason")).isEqualTo("parse");
        assertThat(header(record.headers(), "mphub.source.offset")).isEqualTo("17");
        assertThat(header(record.headers(), DeadLetterRecord.TRUNCATED)).isEqualTo("value");
        assertThat(header(record.headers(), DeadLetterRecord.ORIGINAL_BYTES)).isEqualTo(String.valueOf(LIMIT));
        assertThat(header(record.headers(), DeadLetterRecord.ORIGINAL_SHA256)).isEqualTo(Digests.sha256Hex(value));
    }

    @Test
    void originalHeadersTooLargeToFitAreLeftOutBeforeTheKey() {
        ProducerRecord<String, byte[]> record = DeadLetterRecord.fitting("mp.dlq.ingest", "oUser", filled(100),
                original(LIMIT), error(), LIMIT);

        assertThat(RecordLimits.sizeOf(record)).isLessThanOrEqualTo(LIMIT);
        assertThat(header(record.headers(), "x-producer")).isNull();
        assertThat(header(record.headers(), "x-big")).isNull();
        assertThat(record.key()).isEqualTo("oUser");
        assertThat(record.value()).isEqualTo(filled(100));
        assertThat(header(record.headers(), DeadLetterRecord.TRUNCATED)).isEqualTo("value,headers");
        assertThat(header(record.headers(), "mphub.error.message")).isEqualTo("not JSON");
    }

    @Test
    void aKeyTooLargeToFitIsLeftOutLast() {
        String key = new String(filled(LIMIT), StandardCharsets.UTF_8);
        ProducerRecord<String, byte[]> record = DeadLetterRecord.fitting("mp.dlq.ingest", key, filled(100),
                original(10), error(), LIMIT);

        assertThat(RecordLimits.sizeOf(record)).isLessThanOrEqualTo(LIMIT);
        assertThat(record.key()).isNull();
        assertThat(header(record.headers(), DeadLetterRecord.TRUNCATED)).isEqualTo("value,headers,key");
        assertThat(header(record.headers(), "mphub.source.topic")).isEqualTo("mp.events.order");
    }

    private static Headers original(int extraBytes) {
        return new RecordHeaders().add("x-producer", HeaderValues.utf8("checkout")).add("x-big", filled(extraBytes));
    }

    private static Headers error() {
        return new RecordHeaders()
                .add("mphub.error.reason", HeaderValues.utf8("parse"))
                .add("mphub.error.message", HeaderValues.utf8("not JSON"))
                .add("mphub.source.topic", HeaderValues.utf8("mp.events.order"))
                .add("mphub.source.partition", HeaderValues.utf8("3"))
                .add("mphub.source.offset", HeaderValues.utf8("17"));
    }

    private static byte[] filled(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'x');
        return bytes;
    }
}
