package io.mphub.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class HeaderValuesTest {

    private final Message message = new DefaultExchange(new DefaultCamelContext()).getMessage();
    private final RecordHeaders record = new RecordHeaders();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aHeaderIsReadFromTheRecordItselfWhenTheConsumerLeftItThereAndFromTheMessageOtherwise() {
        record.add("ce_id", utf8("first")).add("ce_id", utf8("e-1"));
        message.setHeader(KafkaConstants.HEADERS, record);
        message.setHeader("ce_type", utf8("mp.behaviour.page_view"));

        assertThat(HeaderValues.text(message, "ce_id")).isEqualTo("e-1");
        assertThat(HeaderValues.text(message, "ce_type")).isEqualTo("mp.behaviour.page_view");
        assertThat(HeaderValues.text(message, "ce_subject")).isNull();
    }
}
