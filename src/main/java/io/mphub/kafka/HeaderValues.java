package io.mphub.kafka;

import java.nio.charset.StandardCharsets;

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

    /** Text as a header value; null becomes empty. */
    public static byte[] utf8(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }
}
