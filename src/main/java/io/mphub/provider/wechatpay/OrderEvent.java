package io.mphub.provider.wechatpay;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The parts of a structured CloudEvent a payment kind reads. The event passed the contract at ingest, but the
 * destination's data contract ({@code fields}) may have dropped what a request needs: the readers say which field
 * is missing, and the kind dead-letters the event with that.
 */
record OrderEvent(String id, String type, String subject, JsonNode data) {

    static OrderEvent parse(ObjectMapper mapper, String eventId, byte[] event) {
        JsonNode root;
        try {
            root = mapper.readTree(event);
        } catch (IOException e) {
            throw new IllegalArgumentException("the event is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the event is not a JSON object");
        }
        return new OrderEvent(eventId, root.path("type").asText(""), root.path("subject").asText(""), root.path("data"));
    }

    /** A required text field of {@code data}, e.g. {@code text("amount", "currency")}. */
    String text(String... path) {
        JsonNode node = at(path);
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw missing(path);
        }
        return node.asText();
    }

    /** An optional text field of {@code data}; null when absent. */
    String optionalText(String... path) {
        JsonNode node = at(path);
        return node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
    }

    long integer(String... path) {
        JsonNode node = at(path);
        if (!node.canConvertToExactIntegral() || !node.isNumber()) {
            throw missing(path);
        }
        return node.asLong();
    }

    private JsonNode at(String... path) {
        JsonNode node = data;
        for (String name : path) {
            node = node.path(name);
        }
        return node;
    }

    private static IllegalArgumentException missing(String... path) {
        return new IllegalArgumentException("data." + String.join(".", path) + " is missing or of the wrong type"
                + " (does the destination's 'fields' setting keep it?)");
    }
}
