package io.mphub.provider.meiqia;

import static java.nio.charset.StandardCharsets.UTF_8;
import static io.mphub.provider.CustomerServiceEvents.answer;
import static io.mphub.provider.CustomerServiceEvents.text;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.callback.Callback;
import io.mphub.provider.CustomerServiceEvents;
import io.mphub.provider.CustomerServiceEvents.Event;
import io.mphub.sign.MeiqiaSigner;
import io.mphub.sign.MeiqiaWebhookSignature;
import io.mphub.sign.Verdict;

/**
 * {@code /callbacks/meiqia}: Meiqia's webhooks, published as {@code mp.cs.*} events. Meiqia posts JSON {@code {id,
 * event, enterprise_token, created_at, <object>}} signed with {@code SHA1(body + secret)} in {@code Meiqia-Signature}
 * ({@link MeiqiaWebhookSignature}; {@code Meiqia-Sign}, as Meiqia's own example request names it, is taken too; and,
 * without either, {@code Authorization: meiqia_sign:…} as Meiqia signs its SDK pushes, {@link MeiqiaSigner}). A
 * webhook created more than a day ago is refused: the callback ledger would no longer know it as a repeat.
 * <ul>
 * <li>{@code conversation.created} → {@code mp.cs.session_started}; {@code conversation.closed} → {@code
 * mp.cs.session_ended}; {@code client.created}, {@code client.updated} → {@code mp.cs.customer_updated} (ids only).
 * A conversation's start and end take their ids from the conversation ({@code conv_id}), a customer's change from
 * the webhook's own {@code id}: a repeat, to any replica, publishes nothing new.</li>
 * <li>Other events ({@code conversation.updated}, {@code conversation.scheduled}, {@code client.deleted}, calls,
 * tickets): answered, nothing published (outcome {@code ignored}).</li>
 * <li>No or a wrong signature: 401, nothing published; not JSON, or without {@code id}, {@code event} or the ids an
 * event needs: 400. Kafka not taking the event in time: 500, so that Meiqia may send it again.</li>
 * </ul>
 */
public final class MeiqiaCallback implements Callback {

    public static final String NAME = "meiqia";

    /** How old a webhook may be: the callback ledger remembers a published one for a day. */
    static final Duration MAX_AGE = Duration.ofHours(24);

    private final MeiqiaWebhookSignature signature;
    private final MeiqiaSigner pushSignature;
    private final CustomerServiceEvents events;
    private final Clock clock;

    /** @param secret the webhook's secret, which both of Meiqia's signatures use */
    MeiqiaCallback(String secret, CustomerServiceEvents events, Clock clock) {
        this.signature = new MeiqiaWebhookSignature(secret);
        this.pushSignature = new MeiqiaSigner(secret);
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Answer handle(Request request) {
        String body = new String(request.body(), UTF_8);
        Verdict verdict = verify(request, body);
        if (!verdict.valid()) {
            return answer(401, "bad_signature", verdict + ": the signature does not match the body");
        }
        Optional<JsonNode> object = events.object(body);
        if (object.isEmpty()) {
            return answer(400, "malformed", "the body is not a JSON object");
        }
        JsonNode hook = object.get();
        Optional<String> id = text(hook, "id");
        Optional<String> name = text(hook, "event");
        if (id.isEmpty() || name.isEmpty()) {
            return answer(400, "malformed", "no id or event");
        }
        if (hook.path("created_at").canConvertToLong() && Instant.ofEpochSecond(hook.path("created_at").asLong())
                .isBefore(clock.instant().minus(MAX_AGE))) {
            // Nothing in the signature is a time: past the callback ledger's memory, a replay would publish again.
            return answer(401, "stale", "created " + hook.path("created_at").asLong() + ", more than a day ago");
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

    /**
     * The webhook's signature: {@code Meiqia-Signature} (or {@code Meiqia-Sign}) as Meiqia's Webhooks page states it;
     * without one, {@code Authorization: meiqia_sign:…} as Meiqia signs its SDK pushes, with the same secret.
     */
    private Verdict verify(Request request, String body) {
        Optional<String> sha1 = request.header(MeiqiaWebhookSignature.HEADER)
                .or(() -> request.header(MeiqiaWebhookSignature.EXAMPLE_HEADER));
        if (sha1.isPresent()) {
            return signature.verify(sha1.get(), body);
        }
        return pushSignature.verify(request.header("Authorization").orElse(null), body);
    }

    private Optional<Event> event(String name, String id, JsonNode hook) {
        return switch (name) {
            case "conversation.created" -> Optional.of(conversation(CustomerServiceEvents.SESSION_STARTED,
                    "session_start", hook));
            case "conversation.closed" -> Optional.of(conversation(CustomerServiceEvents.SESSION_ENDED, "session_end",
                    hook));
            case "client.created", "client.updated" -> Optional.of(client(name.substring("client.".length()), id, hook));
            default -> Optional.empty();
        };
    }

    /** One start and one end per conversation: their ids come from the conversation's. */
    private Event conversation(String type, String what, JsonNode hook) {
        JsonNode conversation = hook.path("conversation");
        ObjectNode data = events.data();
        String session = text(conversation, "conv_id").or(() -> text(conversation, "id"))
                .orElseThrow(() -> new IllegalArgumentException("a conversation without conv_id"));
        data.put("sessionId", session);
        text(conversation, "dev_client_id").ifPresent(user -> data.put("openId", user));
        text(conversation, "agent_id").ifPresent(agent -> data.put("agentId", agent));
        return events.event(type, what, session, data);
    }

    private Event client(String change, String id, JsonNode hook) {
        JsonNode client = hook.path("client");
        ObjectNode data = events.data();
        data.put("customerId", text(client, "client_id").or(() -> text(client, "id"))
                .orElseThrow(() -> new IllegalArgumentException("a client without client_id")));
        text(client, "dev_client_id").ifPresent(user -> data.put("openId", user));
        data.put("change", change);
        // A customer changes many times: each webhook is its own event, known again by Meiqia's id of the request.
        return events.event(CustomerServiceEvents.CUSTOMER_UPDATED, "client_" + change, id, data);
    }
}
