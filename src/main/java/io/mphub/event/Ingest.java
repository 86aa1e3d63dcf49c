package io.mphub.event;

import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.enrich.Enricher;
import io.mphub.enrich.HubAttributes;
import io.mphub.kafka.HeaderValues;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The ingest step: read the CloudEvent (either mode), check it against the contract, add the hub's attributes
 * and the enrichers' (reverse geocoding), and leave the structured event as the body with {@code eventId}, {@code eventType}, {@code eventSubject} and
 * {@code traceparent} as exchange properties for the fan-out table. A bad event throws
 * {@link RejectedEventException}, which the route's error handling dead-letters.
 */
public final class Ingest {

    private final CloudEventReader reader;
    private final EventContract contract;
    private final HubAttributes attributes;
    private final Enricher enricher;
    private final Consumer<ObjectNode> recorder;
    private final ObjectMapper mapper;
    private final Counter read;
    private final Counter accepted;

    /**
     * @param enricher {@link Enricher#NONE} when no enricher is configured
     * @param recorder what records an accepted event's effect on the hub's own state before it is dispatched (a
     *                 user's consent); a failure there is the hub's, and the event is read again
     */
    public Ingest(CloudEventReader reader, EventContract contract, HubAttributes attributes, Enricher enricher,
            Consumer<ObjectNode> recorder, ObjectMapper mapper, MeterRegistry metrics) {
        this.recorder = recorder;
        this.reader = reader;
        this.contract = contract;
        this.attributes = attributes;
        this.enricher = enricher;
        this.mapper = mapper;
        this.read = Counter.builder("mphub.events.ingested")
                .description("records ingest read from the input topics (a record read again counts again)")
                .register(metrics);
        this.accepted = Counter.builder("mphub.events.accepted")
                .description("records ingest accepted under the contract; the rest are in mphub_dead_letters_total"
                        + "{topic=\"mp.dlq.ingest\"}").register(metrics);
    }

    public void accept(Exchange exchange) throws JsonProcessingException {
        read.increment();
        Message message = exchange.getMessage();
        ObjectNode event = reader.read(message.getBody(byte[].class), message.getHeaders());
        contract.check(event);
        accepted.increment();
        String traceparent = attributes.apply(event, HeaderValues.text(message.getHeader("traceparent")));
        enricher.enrich(event);
        recorder.accept(event);
        exchange.setProperty("eventId", event.get("id").asText());
        exchange.setProperty("eventType", event.get("type").asText());
        exchange.setProperty("eventSubject", event.get("subject").asText());
        exchange.setProperty("traceparent", traceparent);
        message.setBody(mapper.writeValueAsBytes(event));
    }
}
