package io.mphub.provider;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.callback.Callback;
import io.mphub.event.Results;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events the hub publishes on {@code mp.results} from customer-service systems' calls (Qiyu, Meiqia): one contract
 * for both ({@code schemas/mp.cs.*.json}), whichever system the mini program uses.
 */
public final class CustomerServiceEvents {

    private static final Logger LOG = LoggerFactory.getLogger(CustomerServiceEvents.class);

    public static final String SESSION_STARTED = "mp.cs.session_started";
    public static final String SESSION_ENDED = "mp.cs.session_ended";
    public static final String MESSAGE = "mp.cs.message";
    public static final String RATING_REQUESTED = "mp.cs.rating_requested";
    public static final String RATED = "mp.cs.rated";
    public static final String CUSTOMER_UPDATED = "mp.cs.customer_updated";
    /** The longest platform id taken: with a prefix such as {@code meiqia:} it still fits a subject. */
    private static final int MAX_TEXT = 100;

    /**
     * One event to publish.
     *
     * @param id      derived from the platform's own id of what happened, so a repeat of the call carries the same id
     * @param subject the user ({@code data.openId}) when the platform names them, else the session or customer
     *                ({@code <platform>:<id>})
     */
    public record Event(String type, String id, String subject, ObjectNode data) {
    }

    private final String platform;
    private final ObjectMapper mapper;
    private final Results results;

    /** @param platform {@code qiyu} or {@code meiqia}: each event's {@code data.platform} and its ids' prefix */
    public CustomerServiceEvents(String platform, ObjectMapper mapper, Results results) {
        this.platform = platform;
        this.mapper = mapper;
        this.results = results;
    }

    /** A call's body when it is a JSON object (both platforms send one), else empty: the call is malformed. */
    public Optional<JsonNode> object(String body) {
        try {
            JsonNode node = mapper.readTree(body);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The data of a new event, {@code platform} set. */
    public ObjectNode data() {
        return mapper.createObjectNode().put("platform", platform);
    }

    /**
     * An event: its id {@code <platform>-<what>-<about>}, {@code what} naming the platform's event ({@code
     * session_start}) and {@code about} its own id of it (the session's, the message's, the call's), so a repeat
     * carries the same id (an id beyond the contract's 128 characters is replaced by its name-based UUID). The subject,
     * and so the Kafka key, is the user when {@code data.openId} is set, else the session or the customer: one
     * session's events keep their order.
     */
    public Event event(String type, String what, String about, ObjectNode data) {
        String id = Results.id(platform + "-" + what + "-", about);
        String subject = data.hasNonNull("openId") ? data.get("openId").asText()
                : platform + ":" + data.path("sessionId").asText(data.path("customerId").asText(about));
        return new Event(type, id, subject, data);
    }

    /**
     * Publishes it once, across replicas and restarts ({@link Results#publishOnce}), and answers the platform as both
     * expect: 200 with an empty body once it is published, or was before ({@code duplicate}); 500 when Kafka did not
     * take it in time, so that the platform calls again.
     */
    public Callback.Answer publish(Event event) {
        boolean published;
        try {
            published = results.publishOnce(platform + "/" + event.id(), event.id(), event.type(), event.subject(),
                    event.data());
        } catch (RuntimeException e) {
            // Most likely Kafka refused or did not acknowledge in time.
            return answer(500, "error", event.id() + ": " + e.getMessage());
        }
        if (!published) {
            return answer(200, "duplicate", event.id());
        }
        LOG.info("{} call published as {} ({})", platform, event.id(), event.type());
        return answer(200, "accepted", event.id());
    }

    /** An answer with an empty body, as Qiyu (and, as far as documented, Meiqia) take one. */
    public static Callback.Answer answer(int status, String outcome, String detail) {
        return new Callback.Answer(status, "text/plain; charset=utf-8", "", outcome, detail);
    }

    /**
     * A field's text when it is a non-blank string or number of at most 100 characters (so that it fits the contract's
     * ids and subjects), as the platforms send ids either way; else empty, and the call is malformed.
     */
    public static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual() && !value.isNumber()) {
            return Optional.empty();
        }
        String text = value.asText().trim();
        return text.isEmpty() || text.length() > MAX_TEXT ? Optional.empty() : Optional.of(text);
    }
}
