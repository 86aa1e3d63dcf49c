package io.mphub.event;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.kafka.CallbackLedger;
import io.mphub.kafka.HeaderValues;
import io.mphub.kafka.Outbox;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes the events the hub itself produces (a payment prepared, a payment succeeded, a parcel's progress) on
 * {@code mp.results}, as structured CloudEvents under the same contract as the events the hub consumes, keyed by
 * subject. A publish waits for Kafka's acknowledgement: whatever caused it (a delivery, a callback) only counts as
 * done once its result is safely written.
 */
public final class Results {

    public static final String TOPIC = "mp.results";
    /** The CloudEvents source of every event the hub produces. */
    public static final String SOURCE = "/mphub";

    /**
     * The longest a publish waits for Kafka: a provider's callback must be answered in seconds (WeChat Pay and
     * Kuaidi100 call again when not answered), and the listener's threads must not all hang on a broker outage.
     */
    public static final Duration DEADLINE = Duration.ofSeconds(5);

    /** The contract's longest event id ({@code schemas/}). */
    static final int MAX_ID = 128;

    private final Outbox outbox;
    private final CallbackLedger callbacks;
    private final ObjectMapper mapper;
    private final Clock clock;

    /** @param callbacks what providers' callbacks published, so that a repeat publishes nothing new */
    public Results(Outbox outbox, CallbackLedger callbacks, ObjectMapper mapper, Clock clock) {
        this.outbox = outbox;
        this.callbacks = callbacks;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * An event id derived from what caused it, {@code prefix + about}, so that a repeat carries the same one; when that
     * is longer than the contract allows, {@code prefix} + the name-based UUID of {@code about}.
     */
    public static String id(String prefix, String about) {
        return prefix.length() + about.length() <= MAX_ID ? prefix + about
                : prefix + UUID.nameUUIDFromBytes(about.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param id        derived from what caused it, so that a repeat (a redelivered order, a notification WeChat
     *                  sends again) yields the same id and consumers drop it like any other repeat
     * @param causation the id of the event that caused this one, or null (a callback from a provider)
     * @throws io.mphub.kafka.OutboxWriteException when Kafka did not acknowledge it within {@link #DEADLINE}
     */
    public void publish(String id, String type, String subject, String causation, JsonNode data) {
        outbox.sendNow(record(id, type, subject, causation, data), DEADLINE);
    }

    /**
     * Publishes a provider callback's result unless the same callback ({@code key}) published one within a day, on
     * this replica or another, before or after a restart ({@link CallbackLedger}).
     *
     * @return false when it had been published: nothing new is
     * @throws io.mphub.kafka.OutboxWriteException when Kafka did not take it within {@link #DEADLINE}
     */
    public boolean publishOnce(String key, String id, String type, String subject, JsonNode data) {
        return callbacks.publishOnce(key, record(id, type, subject, null, data));
    }

    /**
     * The record {@link #publish} sends, for a caller that sends it itself: a job that writes its results and its
     * progress in one Kafka transaction ({@link io.mphub.kafka.JobLedger}).
     */
    public ProducerRecord<String, byte[]> record(String id, String type, String subject, String causation,
            JsonNode data) {
        ObjectNode event = mapper.createObjectNode()
                .put("specversion", "1.0")
                .put("id", id)
                .put("source", SOURCE)
                .put("type", type)
                .put("time", Instant.now(clock).toString())
                .put("subject", subject)
                .put("datacontenttype", "application/json");
        if (causation != null) {
            event.put("causationid", causation);
        }
        event.set("data", data);
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", HeaderValues.utf8(id));
        headers.add("ce_type", HeaderValues.utf8(type));
        headers.add("content-type", HeaderValues.utf8(Outbox.CONTENT_TYPE));
        return new ProducerRecord<>(TOPIC, null, subject, bytes(event), headers);
    }

    private byte[] bytes(ObjectNode event) {
        try {
            return mapper.writeValueAsString(event).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a result event", e);
        }
    }
}
