package io.mphub.provider;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.deliver.BatchEvent;
import io.mphub.deliver.BatchKind;
import io.mphub.deliver.Outcome;

/**
 * An event as analytics platforms track it: who it is about (the CloudEvent {@code subject}, else
 * {@code data.openId}), when (its {@code time}), what (its type) and its {@code data}. The analytics kinds build
 * their platform's record from this.
 */
public record TrackedEvent(String type, String user, Instant time, JsonNode data) {

    /** The tracked event, or why the event cannot be one (dead-lettered with that reason). */
    public record Read(TrackedEvent event, Outcome.Permanent problem) {
    }

    /** One event as its platform's record (JSON), or why it cannot be one. */
    public record Built(ObjectNode record, Outcome.Permanent problem) {

        /** As the kind hands it to the core ({@link BatchKind#encode}). */
        public BatchKind.Encoded encoded(ObjectMapper mapper) {
            if (problem != null) {
                return BatchKind.Encoded.refused(problem);
            }
            try {
                return BatchKind.Encoded.of(mapper.writeValueAsBytes(record));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a record", e);
            }
        }
    }

    /**
     * @param platform how the platform names the user and the time in its problems, e.g. "Segment's userId" and
     *                 "Segment's timestamp"
     */
    public static Read read(ObjectMapper mapper, BatchEvent event, String platformUser, String platformTime) {
        OutgoingEvent e;
        try {
            e = OutgoingEvent.read(mapper, event.body());
        } catch (IOException notOne) {
            return failed("unreadable_event", notOne.getMessage());
        }
        Optional<String> user = Optional.of(e.subject()).filter(s -> !s.isBlank()).or(() -> e.text("openId"));
        if (user.isEmpty()) {
            return failed("missing_field", "neither subject nor data.openId names the user (" + platformUser + ")");
        }
        Instant time;
        try {
            time = OffsetDateTime.parse(e.attribute("time").orElse("")).toInstant();
        } catch (DateTimeParseException notTime) {
            return failed("missing_field", "the event's time is missing or not RFC 3339 (" + platformTime + ")");
        }
        return new Read(new TrackedEvent(e.type(), user.get(), time, e.data()), null);
    }

    private static Read failed(String reason, String message) {
        return new Read(null, new Outcome.Permanent(reason, message));
    }
}
