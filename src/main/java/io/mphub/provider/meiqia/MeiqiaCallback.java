package io.mphub.provider.meiqia;

import static java.nio.charset.StandardCharsets.UTF_8;
import static io.mphub.provider.CustomerServiceEvents.answer;
import static io.mphub.provider.CustomerServiceEvents.text;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.callback.Callback;
import io.mphub.provider.CustomerServiceEvents;
import io.mphub.provider.CustomerServiceEvents.Event;
import io.mphub.sign.MeiqiaWebhookSignature;
import io.mphub.sign.Verdict;

/**
 * {@code /callbacks/meiqia}: Meiqia's webhooks, published as {@code mp.cs.*} events. Meiqia posts JSON {@code {id,
 * event, enterprise_token, created_at, <object>}} signed with {@code SHA1(body + secret)} in {@code Meiqia-Signature}
 * ({@link MeiqiaWebhookSignature}; {@code Meiqia-Sign}, as Meiqia's own example request names it, is taken too).
 * <ul>
 * <li>{@code conversation.created} → {@code mp.cs.session_started}; {@code conversation.closed} → {@code
 * mp.cs.session_ended}; {@code client.created}, {@code client.updated} → {@code mp.cs.customer_updated} (ids only).
 * The ids come from the webhook's own {@code id}: a repeat, to any replica, publishes nothing new.</li>
 * <li>Other events ({@code conversation.updated}, {@code conversation.scheduled}, {@code client.deleted}, calls,
 * tickets): answered, nothing published (outcome {@code ignored}).</li>
 * <li>No or a wrong signature: 401, nothing published; not JSON, or without {@code id}, {@code event} or the ids an
 * event needs: 400. Kafka not taking the event in time: 500, so that Meiqia may send it again.</li>
 * </ul>
 */
public final class MeiqiaCallback implements Callback {

    public static final String NAME = "meiqia";

    private final MeiqiaWebhookSignature signature;
    private final CustomerServiceEvents events;
    private final ObjectMapper mapper;

    MeiqiaCallback(MeiqiaWebhookSignature signature, CustomerServiceEvents events, ObjectMapper mapper) {
        this.signature = signature;
        this.events = events;
        this.mapper = mapper;
    }

    @Override
    public Answer handle(Request request) {
        String body = new String(request.body(), UTF_8);
        String sent = request.header(MeiqiaWebhookSignature.HEADER)
                .or(() -> request.header(MeiqiaWebhookSignature.EXAMPLE_HEADER)).orElse(null);
        Verdict verdict = signature.verify(sent, body);
        if (!verdict.valid()) {
            return answer(401, "bad_signature", verdict + ": Meiqia-Signature does not match the body");
        }
        JsonNode hook;
        try {
            hook = mapper.readTree(body);
        } catch (IOException e) {
            hook = null;
        }
        if (hook == null || !hook.isObject()) {
            return answer(400, "malformed", "the body is not a JSON object");
        }
        Optional<String> id = text(hook, "id");
        Optional<String> name = text(hook, "event");
        if (id.isEmpty() || name.isEmpty()) {
            return answer(400, "malformed", "no id or event");
        }
        Optional<Event> event;
        try {
            event = event(name.get(), id.get(), hook);
        } catch (IllegalArgumentException e) {
            return answer(400, "malformed", name.get() + ": " + e.getMessage());
        }
        if (event.isEmpty()) {
            return answer(200, "ignored", "event " + name.get());
        }
        return events.publish(event.get());
    }

    private Optional<Event> event(String name, String id, JsonNode hook) {
        return switch (name) {
            case "conversation.created" -> Optional.of(conversation(CustomerServiceEvents.SESSION_STARTED, id, hook));
            case "conversation.closed" -> Optional.of(conversation(CustomerServiceEvents.SESSION_ENDED, id, hook));
            case "client.created", "client.updated" -> Optional.of(client(name.substring("client.".length()), id, hook));
            default -> Optional.empty();
        };
    }

    private Event conversation(String type, String id, JsonNode hook) {
        JsonNode conversation = hook.path("conversation");
        ObjectNode data = events.data();
        data.put("sessionId", text(conversation, "conv_id").or(() -> text(conversation, "id"))
                .orElseThrow(() -> new IllegalArgumentException("a conversation without conv_id")));
        text(conversation, "dev_client_id").ifPresent(user -> data.put("openId", user));
        text(conversation, "agent_id").ifPresent(agent -> data.put("agentId", agent));
        return events.event(type, "webhook", id, data);
    }

    private Event client(String change, String id, JsonNode hook) {
        JsonNode client = hook.path("client");
        ObjectNode data = events.data();
        data.put("customerId", text(client, "client_id").or(() -> text(client, "id"))
                .orElseThrow(() -> new IllegalArgumentException("a client without client_id")));
        text(client, "dev_client_id").ifPresent(user -> data.put("openId", user));
        data.put("change", change);
        return events.event(CustomerServiceEvents.CUSTOMER_UPDATED, "webhook", id, data);
    }
}
