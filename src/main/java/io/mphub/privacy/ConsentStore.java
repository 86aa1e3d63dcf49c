package io.mphub.privacy;

import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.kafka.FollowedTopic;
import io.mphub.kafka.OutboxWriteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each user has consented to, per mini program: the compacted topic {@value #TOPIC}, keyed by
 * {@code appId/openId}, each value the user's last decision per scope. Ingest writes it from {@code mp.user.consent}
 * events; every replica follows it, so all see one state and it outlasts restarts. A delivery asks it only once this
 * replica has read every decision written anywhere before the request is formed ({@link #decide}).
 */
public final class ConsentStore implements FollowedTopic.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(ConsentStore.class);
    public static final String TOPIC = "mp.consent";
    public static final String TYPE = "mp.user.consent";

    /** What a user last decided about a scope. */
    public enum Decision {
        /** The user granted the scope. */
        GRANTED,
        /** The user withdrew the scope. */
        WITHDRAWN,
        /** The user has decided nothing about the scope (the destination's without-record setting decides). */
        NO_RECORD
    }

    private final ObjectMapper mapper;
    private final Duration wait;
    private final Map<String, ObjectNode> users = new ConcurrentHashMap<>();
    private volatile FollowedTopic topic;

    /** @param wait how long a delivery or a write waits for this replica to have read the topic up to now */
    public ConsentStore(ObjectMapper mapper, Duration wait) {
        this.mapper = mapper;
        this.wait = wait;
    }

    /** The topic this store reads and writes, once it has been read to its end. */
    public void follow(FollowedTopic topic) {
        this.topic = topic;
    }

    @Override
    public void changed(String key, byte[] value) {
        if (value == null) {
            users.remove(key);
            return;
        }
        try {
            users.merge(key, (ObjectNode) mapper.readTree(value), ConsentStore::latest);
        } catch (IOException | ClassCastException e) {
            LOG.warn("{}: the consent of key {} is not readable JSON; kept as it was", TOPIC, key);
        }
    }

    /**
     * Records a {@code mp.user.consent} event (any other event is left alone): the user's state merged with it, scope by
     * scope, the later decision winning (by the events' {@code time}), written to the topic and applied here before it
     * returns. A failure is the hub's own (Kafka), never the event's: the caller tries again.
     */
    public synchronized void record(ObjectNode event) {
        if (!TYPE.equals(event.path("type").asText())) {
            return;
        }
        JsonNode data = event.path("data");
        String key = key(data.path("appId").asText(), data.path("openId").asText());
        ObjectNode decided = mapper.createObjectNode();
        decided.put("appId", data.path("appId").asText()).put("openId", data.path("openId").asText());
        ObjectNode scopes = decided.putObject("scopes");
        String time = event.path("time").asText();
        String id = event.path("id").asText();
        data.path("granted").forEach(s -> scopes.putObject(s.asText()).put("granted", true).put("time", time)
                .put("event", id));
        data.path("withdrawn").forEach(s -> scopes.putObject(s.asText()).put("granted", false).put("time", time)
                .put("event", id));
        try {
            caughtUp(FollowedTopic.now());
            ObjectNode state = latest(users.getOrDefault(key, mapper.createObjectNode()), decided);
            topic.publish(key, mapper.writeValueAsBytes(state));
        } catch (ExecutionException | TimeoutException | FollowedTopic.NotYetApplied | IOException e) {
            throw new OutboxWriteException("consent of event " + id + " not recorded in " + TOPIC + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxWriteException("interrupted while recording the consent of event " + id, e);
        }
    }

    /**
     * Whether the user has granted {@code scope}, as every decision written before {@code asOf} (a
     * {@link FollowedTopic#now()}) says, and later ones this replica has read.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException when this replica cannot read the topic up to then: the
     *         hub's own failure, so the event is tried again, never sent unchecked nor dead-lettered
     */
    public Decision decide(String appId, String openId, String scope, long asOf) {
        try {
            caughtUp(asOf);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException(e.getMessage());
        }
        JsonNode granted = Optional.ofNullable(users.get(key(appId, openId))).map(s -> s.path("scopes").path(scope))
                .map(s -> s.path("granted")).orElse(null);
        if (granted == null || granted.isMissingNode()) {
            return Decision.NO_RECORD;
        }
        return granted.asBoolean() ? Decision.GRANTED : Decision.WITHDRAWN;
    }

    private void caughtUp(long time) throws InterruptedException, TimeoutException {
        FollowedTopic followed = topic;
        if (followed == null || !followed.awaitCaughtUp(time, wait)) {
            throw new TimeoutException(TOPIC + " could not be read up to now within "
                    + wait.toMillis() + " ms");
        }
    }

    static String key(String appId, String openId) {
        return appId + "/" + openId;
    }

    /** Two states of one user merged scope by scope, the later decision winning. */
    private static ObjectNode latest(ObjectNode known, ObjectNode incoming) {
        ObjectNode merged = incoming.deepCopy();
        ObjectNode scopes = merged.get("scopes") instanceof ObjectNode o ? o : merged.putObject("scopes");
        known.path("scopes").fields().forEachRemaining(s -> {
            JsonNode other = scopes.get(s.getKey());
            if (other == null || time(s.getValue()).isAfter(time(other))) {
                scopes.set(s.getKey(), s.getValue());
            }
        });
        return merged;
    }

    private static OffsetDateTime time(JsonNode decision) {
        try {
            return OffsetDateTime.parse(decision.path("time").asText());
        } catch (RuntimeException e) {
            return OffsetDateTime.MIN;
        }
    }
}
