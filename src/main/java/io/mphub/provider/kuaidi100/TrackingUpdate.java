package io.mphub.provider.kuaidi100;

import java.util.Comparator;
import java.util.Optional;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.sign.Digests;

/**
 * A verified Kuaidi100 push as the hub's {@code mp.logistics.updated} event (schema
 * {@code schemas/mp.logistics.updated.json}).
 *
 * @param id   {@code kuaidi100-} and 32 hex digits of SHA-256 over app, user, order, carrier, waybill, monitoring
 *             status, state and the latest checkpoint's time: Kuaidi100 repeats a push it thinks failed, and a
 *             repeat must carry the same id so that consumers drop it; a real change (a new checkpoint, a new
 *             state, tracking ended) yields a new id. The app, user and order are in it because one waybill can
 *             carry several orders (each its own subscription and push): their updates must not share an id
 * @param data the event's data: appId, orderId, openId, carrier, waybillNo, state, status, message, latest,
 *             checkpoints
 */
record TrackingUpdate(String id, String subject, ObjectNode data) {

    static final String TYPE = "mp.logistics.updated";

    /**
     * @param push the push's {@code param}, parsed; its {@code lastResult} has {@code com}, {@code nu} and
     *             {@code state}
     */
    static TrackingUpdate of(TrackingContext context, JsonNode push, ObjectMapper mapper) {
        JsonNode last = push.path("lastResult");
        String carrier = last.path("com").asText();
        ObjectNode data = mapper.createObjectNode()
                .put("appId", context.appId())
                .put("orderId", context.orderId())
                .put("openId", context.openId())
                .put("carrier", carrier)
                .put("waybillNo", context.waybillNo())
                .put("state", last.path("state").asText());
        text(push, "status").ifPresent(s -> data.put("status", s));
        text(push, "message").ifPresent(m -> data.put("message", m));
        ArrayNode checkpoints = mapper.createArrayNode();
        last.path("data").forEach(c -> checkpoints.add(checkpoint(c, mapper)));
        // Kuaidi100 sends the newest first by default; the latest is the newest by time whatever the order.
        Optional<JsonNode> latest = StreamSupport.stream(checkpoints.spliterator(), false)
                .max(Comparator.comparing(c -> c.path("time").asText("")));
        latest.ifPresent(l -> data.set("latest", l.deepCopy()));
        data.set("checkpoints", checkpoints);
        String latestTime = latest.map(l -> l.path("time").asText("")).orElse("");
        // The context's parts hold no line feed (TrackingContext refuses one): two orders never join to the same text.
        String id = "kuaidi100-" + Digests.sha256Hex(String.join("\n", context.appId(), context.openId(),
                context.orderId(), carrier, context.waybillNo(), data.path("status").asText(""),
                data.path("state").asText(), latestTime)).substring(0, 32);
        return new TrackingUpdate(id, context.openId(), data);
    }

    /** One checkpoint: time, context, and where, when Kuaidi100 says (location, else the parsed area name). */
    private static ObjectNode checkpoint(JsonNode c, ObjectMapper mapper) {
        ObjectNode checkpoint = mapper.createObjectNode();
        text(c, "time").or(() -> text(c, "ftime")).ifPresent(t -> checkpoint.put("time", t));
        text(c, "context").ifPresent(t -> checkpoint.put("context", t));
        text(c, "location").or(() -> text(c, "areaName")).ifPresent(t -> checkpoint.put("location", t));
        return checkpoint;
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() && !value.asText().isBlank() ? Optional.of(value.asText())
                : Optional.empty();
    }
}
