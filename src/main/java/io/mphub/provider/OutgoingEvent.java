package io.mphub.provider;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.mphub.deliver.Outcome;

/**
 * The structured CloudEvent a provider kind turns into the provider's own request: the event as ingest accepted it
 * (contract checked, hub attributes added), after the destination's data contract.
 */
public record OutgoingEvent(String type, String subject, JsonNode event, JsonNode data) {

    /** @throws IOException when the bytes are not a JSON object with a {@code type} (never so after ingest) */
    public static OutgoingEvent read(ObjectMapper mapper, byte[] bytes) throws IOException {
        JsonNode event = mapper.readTree(bytes);
        if (event == null || !event.isObject() || !event.path("type").isTextual()) {
            throw new IOException("not a structured CloudEvent");
        }
        JsonNode data = event.path("data");
        return new OutgoingEvent(event.get("type").asText(), event.path("subject").asText(""), event,
                data.isObject() ? data : MissingNode.getInstance());
    }

    /** One attempt of a kind with the event read. */
    @FunctionalInterface
    public interface Attempt {
        Outcome with(OutgoingEvent event) throws InterruptedException;
    }

    /**
     * The attempt with the event read from {@code bytes}; bytes that are not one are dead-lettered as
     * {@code unreadable_event} (never so after ingest, but a kind does not trust its topic).
     */
    public static Outcome readThen(ObjectMapper mapper, byte[] bytes, Attempt attempt) throws InterruptedException {
        OutgoingEvent event;
        try {
            event = read(mapper, bytes);
        } catch (IOException e) {
            return new Outcome.Permanent("unreadable_event", e.getMessage());
        }
        return attempt.with(event);
    }

    /** A {@code data} field as text (numbers too), when present and not blank. */
    public Optional<String> text(String field) {
        return textOf(data.path(field));
    }

    /** A CloudEvents attribute as text, when present and not blank. */
    public Optional<String> attribute(String name) {
        return textOf(event.path(name));
    }

    private static Optional<String> textOf(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? Optional.of(node.asText()).filter(t -> !t.isBlank())
                : Optional.empty();
    }
}
