package io.mphub.provider.segment;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.deliver.BatchEvent;
import io.mphub.deliver.BatchKind;
import io.mphub.provider.EventNames;
import io.mphub.provider.TrackedEvent;

/**
 * A CloudEvent as a message of Segment's HTTP Tracking API (Segment's Spec, "Track"; what analytics-java sends):
 * <pre>
 * {"type": "track", "messageId": id, "timestamp": time, "userId": subject, "event": name,
 *  "properties": data, "context": {"library": {"name": "mphub", "version": …}}}
 * </pre>
 * {@code messageId} is the CloudEvent id, so Segment drops a message sent again; {@code userId} the CloudEvent's
 * {@code subject} (the user's openid, pseudonymized if the destination's data contract says so), else
 * {@code data.openId}; {@code timestamp} the CloudEvent's {@code time} in UTC with milliseconds
 * ({@code 2026-03-01T02:00:00.000Z}, as the SDK writes dates); {@code properties} the event's {@code data} as it is
 * (Segment takes nested objects and arrays).
 */
final class SegmentMessages {

    /** ISO-8601 in UTC with milliseconds, as analytics-java's ISO8601DateAdapter writes dates. */
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);


    private final ObjectMapper mapper;
    private final EventNames names;
    private final String version;

    SegmentMessages(ObjectMapper mapper, EventNames names, String version) {
        this.mapper = mapper;
        this.names = names;
        this.version = version;
    }

    /** The event as the core takes it ({@link io.mphub.deliver.BatchKind#encode}). */
    BatchKind.Encoded encode(BatchEvent event) {
        return message(event).encoded(mapper);
    }

    TrackedEvent.Built message(BatchEvent event) {
        TrackedEvent.Read read = TrackedEvent.read(mapper, event, "Segment's userId", "Segment's timestamp");
        if (read.problem() != null) {
            return new TrackedEvent.Built(null, read.problem());
        }
        TrackedEvent e = read.event();
        ObjectNode message = mapper.createObjectNode();
        message.put("type", "track");
        message.put("messageId", event.id());
        message.put("timestamp", TIMESTAMP.format(e.time()));
        message.put("userId", e.user());
        message.put("event", names.of(e.type()));
        message.set("properties", e.data().isObject() ? e.data() : mapper.createObjectNode());
        message.set("context", context());
        return new TrackedEvent.Built(message, null);
    }

    /** {@code {"library": {"name": "mphub", "version": …}}}: the batch's and each message's context. */
    ObjectNode context() {
        ObjectNode context = mapper.createObjectNode();
        context.putObject("library").put("name", "mphub").put("version", version);
        return context;
    }
}
