package io.mphub.kafka;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.KafkaHeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Kafka header values are bytes; the hub reads and writes them as UTF-8 text. */
public final class HeaderValues {

    /** What camel-kafka's consumer copies of a record's headers when no other filter is set. */
    private static final HeaderFilterStrategy CAMEL_KAFKA_DEFAULT = new KafkaHeaderFilterStrategy();

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

    /**
     * Puts the record's own headers into the message, where a consumer with {@link UncopiedHeaders} left them out, for
     * code that reads the message's (a dead letter keeps the original record's headers): as camel-kafka would have,
     * through its default filter (no {@code kafka.*} or {@code Camel*} header of the record's), the last of a repeated
     * name winning.
     */
    public static void copyRecordHeaders(Message message) {
        if (message.getHeader(KafkaConstants.HEADERS) instanceof Headers record) {
            for (Header header : record) {
                if (!CAMEL_KAFKA_DEFAULT.applyFilterToExternalHeaders(header.key(), header.value(),
                        message.getExchange())) {
                    message.setHeader(header.key(), header.value());
                }
            }
        }
    }

    /** Text as a header value; null becomes empty. */
    public static byte[] utf8(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }
}
