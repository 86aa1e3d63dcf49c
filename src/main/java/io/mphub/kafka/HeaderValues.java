package io.mphub.kafka;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Kafka header values are bytes; the hub reads and writes them as UTF-8 text. */
public final class HeaderValues {

    private HeaderValues() {
    }

    /** A header value as the Kafka consumer hands it over (bytes, or text), as text; null stays null. */
    public static String text(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
    }

    /**
     * A header of the Kafka record a message was read from, as text: from the record's own headers (camel-kafka's
     * {@code KafkaConstants.HEADERS}), which a consumer with {@link UncopiedHeaders} leaves out of the message, else
     * from the message's; null when neither has it.
     */
    public static String text(Message message, String name) {
        if (message.getHeader(KafkaConstants.HEADERS) instanceof Headers record) {
            Header header = record.lastHeader(name);
            if (header != null) {
                return text(header.value());
            }
        }
        return text(message.getHeader(name));
    }

    /** Text as a header value; null becomes empty. */
    public static byte[] utf8(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }
}
