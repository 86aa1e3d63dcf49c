package io.mphub.provider.qiyu;

import static java.nio.charset.StandardCharsets.UTF_8;
import static io.mphub.provider.CustomerServiceEvents.answer;
import static io.mphub.provider.CustomerServiceEvents.text;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.callback.Callback;
import io.mphub.callback.FormFields;
import io.mphub.provider.CustomerServiceEvents;
import io.mphub.provider.CustomerServiceEvents.Event;
import io.mphub.sign.QiyuChecksum;
import io.mphub.sign.Verdict;

/**
 * {@code /callbacks/qiyu}: Qiyu's pushes to the developer server (its 消息接口), published as {@code mp.cs.*} events.
 * Qiyu posts JSON with {@code ?eventType=…&time=…&checksum=…}, the checksum {@code SHA1(appSecret + MD5(body) +
 * time)} as for the hub's own calls, valid 5 minutes ({@link QiyuChecksum}); an {@code appKey}, when the query has one,
 * must be the app's. Qiyu waits 10 s for an empty answer and sends the push again otherwise.
 * <ul>
 * <li>{@code SESSION_START} → {@code mp.cs.session_started}; {@code SESSION_END} → {@code mp.cs.session_ended} (with
 * {@code closeReason}); {@code EVA_INVITATION} → {@code mp.cs.rating_requested}; {@code MSG}, an agent's message to the
 * user → {@code mp.cs.message} (its text only with {@code mphub.qiyu.message-text}); the session data Qiyu pushes at a
 * session's end with an {@code evaluation} → {@code mp.cs.rated}. Their ids come from Qiyu's: a repeat, to this
 * replica or another, publishes nothing new ({@code msgId} for a message, the session id for the rest).</li>
 * <li>Another event type: answered, nothing published (outcome {@code ignored}).</li>
 * <li>No or a wrong checksum, or a time outside 5 minutes: 401, nothing published; not JSON, or an event without the
 * ids it needs: 400.</li>
 * <li>Kafka not taking the event in time: 500, so that Qiyu pushes again.</li>
 * </ul>
 */
public final class QiyuCallback implements Callback {

    public static final String NAME = "qiyu";

    private final String appKey;
    private final QiyuChecksum checksum;
    private final CustomerServiceEvents events;
    private final boolean messageText;

    /** With {@code app.messageText()}, a message's text and a rating's remark are published. */
    QiyuCallback(QiyuSettings app, Clock clock, CustomerServiceEvents events) {
        this.appKey = app.appKey();
        this.checksum = new QiyuChecksum(app.appKey(), app.appSecret().value(), clock);
        this.events = events;
        this.messageText = app.messageText();
    }

    @Override
    public Answer handle(Request request) {
        FormFields query;
        try {
            query = FormFields.parse(request.rawQuery());
        } catch (IllegalArgumentException e) {
            return answer(400, "malformed", "unreadable query: " + e.getMessage());
        }
        if (query.get("appKey").filter(key -> !key.equals(appKey)).isPresent()) {
            return answer(401, "bad_signature", "the push names another appKey");
        }
        String body = new String(request.body(), UTF_8);
        Verdict verdict = checksum.verify(body, query.get("time").orElse(null), query.get("checksum").orElse(null));
        if (!verdict.valid()) {
            return answer(401, "bad_signature", verdict + ": the checksum does not match the push and its time");
        }
        Optional<JsonNode> object = events.object(body);
        if (object.isEmpty()) {
            return answer(400, "malformed", "the body is not a JSON object");
        }
        JsonNode push = object.get();
        String eventType = query.get("eventType").or(() -> text(push, "eventType")).orElse("")
                .toUpperCase(Locale.ROOT);
        Optional<Event> event;
        try {
            event = event(eventType, push);
        } catch (IllegalArgumentException e) {
            return answer(400, "malformed", eventType + ": " + e.getMessage());
        }
        if (event.isEmpty()) {
            return answer(200, "ignored", "event type " + (eventType.isEmpty() ? "(none)" : eventType));
        }
        return events.publish(event.get());
    }

    private Optional<Event> event(String eventType, JsonNode push) {
        ObjectNode data = events.data();
        text(push, "uid").or(() -> text(push, "foreignId")).ifPresent(uid -> data.put("openId", uid));
        text(push, "staffId").ifPresent(staff -> data.put("agentId", staff));
        switch (eventType) {
            case "SESSION_START" -> {
                return Optional.of(sessionEvent(CustomerServiceEvents.SESSION_STARTED, "session_start", push, data));
            }
            case "SESSION_END" -> {
                if (push.path("closeReason").canConvertToInt()) {
                    data.put("closeReason", push.path("closeReason").asInt());
                }
                return Optional.of(sessionEvent(CustomerServiceEvents.SESSION_ENDED, "session_end", push, data));
            }
            case "EVA_INVITATION" -> {
                return Optional.of(sessionEvent(CustomerServiceEvents.RATING_REQUESTED, "eva_invitation", push, data));
            }
            case "MSG" -> {
                String id = text(push, "msgId").orElseThrow(() -> new IllegalArgumentException("no msgId"));
                data.put("messageId", id);
                text(push, "msgType").ifPresent(type -> data.put("msgType", type));
                if (push.path("timeStamp").canConvertToLong()) {
                    data.put("sentAt", Instant.ofEpochMilli(push.path("timeStamp").asLong()).toString());
                }
                boolean text = "TEXT".equalsIgnoreCase(data.path("msgType").asText()) && push.path("content").isTextual();
                if (messageText && text) {
                    data.put("text", push.path("content").asText());
                }
                return Optional.of(events.event(CustomerServiceEvents.MESSAGE, "msg", id, data));
            }
            default -> {
                // The session data pushed at a session's end (会话结束推送会话数据): Qiyu's page does not show its
                // eventType, so it is known by its evaluation, as documented for it.
                if (push.path("evaluation").canConvertToInt() && push.path("evaluation").asInt() > 0) {
                    return Optional.of(rated(push, data));
                }
                return Optional.empty();
            }
        }
    }

    private Event sessionEvent(String type, String what, JsonNode push, ObjectNode data) {
        String session = text(push, "sessionId").orElseThrow(() -> new IllegalArgumentException("no sessionId"));
        data.put("sessionId", session);
        return events.event(type, what, session, data);
    }

    private Event rated(JsonNode push, ObjectNode data) {
        String session = text(push, "id").or(() -> text(push, "sessionId"))
                .orElseThrow(() -> new IllegalArgumentException("an evaluation without the session's id"));
        data.put("sessionId", session);
        data.put("score", Math.max(1, Math.min(100, push.path("evaluation").asInt())));
        if (push.path("evaluationType").canConvertToInt()) {
            data.put("scale", push.path("evaluationType").asInt());
        }
        if (messageText) {
            text(push, "evaluationRemark").ifPresent(remark -> data.put("remark", remark));
        }
        return events.event(CustomerServiceEvents.RATED, "rated", session, data);
    }
}
