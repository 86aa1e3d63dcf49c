package io.mphub.privacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What of an event's {@code data} one destination may receive: the configured fields are kept and every other
 * field is removed before the request is built. With no fields configured the event passes unchanged (and
 * unparsed).
 */
public final class DataContract {

    private final ObjectMapper mapper;

    public DataContract(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public byte[] apply(Set<String> fields, byte[] event) {
        if (fields.isEmpty()) {
            return event;
        }
        try {
            ObjectNode node = (ObjectNode) mapper.readTree(event);
            if (node.get("data") instanceof ObjectNode data) {
                data.retain(fields);
            }
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
