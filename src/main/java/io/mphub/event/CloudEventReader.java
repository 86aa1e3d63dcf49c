package io.mphub.event;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.kafka.HeaderValues;

/**
 * Reads a CloudEvent from a Kafka record in either content mode of the CloudEvents Kafka protocol binding and
 * returns it in structured form (one JSON object), which is how the hub carries events from here on.
 * <ul>
 * <li>binary mode: attributes in {@code ce_*} headers, {@code data} as the record value;</li>
 * <li>structured mode: the whole event is the record value.</li>
 * </ul>
 */
public final class CloudEventReader {

    private static final String PREFIX = "ce_";

    private final ObjectMapper mapper;

    public CloudEventReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** @param headers Kafka record headers by name; values as the Kafka consumer hands them over (bytes or text) */
    public ObjectNode read(byte[] value, Map<String, Object> headers) {
        Object specversion = headers.get(PREFIX + "specversion");
        return specversion != null ? readBinary(value, headers) : readStructured(value);
    }

    private ObjectNode readStructured(byte[] value) {
        JsonNode node = parse(value, "record value");
        if (!node.isObject()) {
            throw new RejectedEventException(RejectedEventException.ENVELOPE,
                    "a structured CloudEvent must be a JSON object, found " + node.getNodeType().name().toLowerCase());
        }
        return (ObjectNode) node;
    }

    private ObjectNode readBinary(byte[] value, Map<String, Object> headers) {
        ObjectNode event = mapper.createObjectNode();
        headers.forEach((name, raw) -> {
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length()) {
                event.put(name.substring(PREFIX.length()), HeaderValues.text(raw));
            }
        });
        Object contentType = headers.get("content-type");
        if (contentType != null) {
            event.put("datacontenttype", HeaderValues.text(contentType));
        }
        event.set("data", parse(value, "data (binary mode record value)"));
        return event;
    }

    private JsonNode parse(byte[] value, String what) {
        if (value == null || value.length == 0) {
            throw new RejectedEventException(RejectedEventException.PARSE, what + " is empty");
        }
        try {
            return mapper.readTree(value);
        } catch (IOException e) {
            throw new RejectedEventException(RejectedEventException.PARSE,
                    what + " is not JSON: " + describe(e));
        }
    }

    private static String describe(IOException e) {
        if (e instanceof JsonProcessingException jpe && jpe.getLocation() != null) {
            return jpe.getOriginalMessage() + " at line " + jpe.getLocation().getLineNr()
                    + ", column " + jpe.getLocation().getColumnNr();
        }
        return e.getMessage();
    }
}
