package io.mphub.deadletter;

import java.time.Clock;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.deliver.UndeliverableException;
import io.mphub.event.RejectedEventException;
import io.mphub.kafka.HeaderValues;
import io.mphub.kafka.Outbox;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes dead-letter records the way Kafka Connect does: the original key, value and headers, unchanged, plus
 * {@code mphub.error.*} and {@code mphub.source.*} headers saying why and from where. Called from the routes'
 * error handling with the original message.
 */
public final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    public static final String INGEST_TOPIC = "mp.dlq.ingest";

    private final Outbox outbox;
    private final Clock clock;
    private final MeterRegistry metrics;

    public DeadLetters(Outbox outbox, Clock clock, MeterRegistry metrics) {
        this.outbox = outbox;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** An event that failed the contract: to {@code mp.dlq.ingest}, flushed with its batch before the commit. */
    public void rejected(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause instanceof RejectedEventException r ? r.reason() : "internal";
        RecordHeaders headers = headers(exchange, reason, cause);
        outbox.send(record(exchange, INGEST_TOPIC, headers));
        count(INGEST_TOPIC, reason);
        LOG.warn("rejected record {}/{}@{}: {}: {} -> {}", header(exchange, KafkaConstants.TOPIC),
                header(exchange, KafkaConstants.PARTITION), header(exchange, KafkaConstants.OFFSET), reason,
                cause == null ? "" : cause.getMessage(), INGEST_TOPIC);
    }

    /** An event a destination could not take: to {@code mp.dlq.<destination>}, acknowledged before we go on. */
    public void undeliverable(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String destination = exchange.getProperty("destination", String.class);
        String reason = cause instanceof UndeliverableException u ? u.reason() : "internal";
        RecordHeaders headers = headers(exchange, reason, cause);
        headers.add("mphub.destination", HeaderValues.utf8(destination));
        if (cause instanceof UndeliverableException u) {
            headers.add("mphub.attempts", HeaderValues.utf8(Integer.toString(u.attempts())));
        }
        String topic = "mp.dlq." + destination;
        outbox.sendNow(record(exchange, topic, headers));
        count(topic, reason);
        LOG.warn("event {} dead-lettered for {}: {}: {} -> {}", header(exchange, "ce_id"), destination, reason,
                cause == null ? "" : cause.getMessage(), topic);
    }

    private void count(String topic, String reason) {
        metrics.counter("mphub.dead.letters", "topic", topic, "reason", reason).increment();
    }

    private RecordHeaders headers(Exchange exchange, String reason, Throwable cause) {
        RecordHeaders headers = new RecordHeaders();
        // The original record's own headers, unchanged; the consumer's kafka.* and Camel* headers are not its own.
        for (Map.Entry<String, Object> h : exchange.getMessage().getHeaders().entrySet()) {
            if (!h.getKey().startsWith("kafka.") && !h.getKey().startsWith("Camel") && h.getValue() != null) {
                byte[] value = h.getValue() instanceof byte[] b ? b : HeaderValues.utf8(String.valueOf(h.getValue()));
                headers.add(h.getKey(), value);
            }
        }
        headers.add("mphub.error.reason", HeaderValues.utf8(reason));
        headers.add("mphub.error.message", HeaderValues.utf8(cause == null ? "" : String.valueOf(cause.getMessage())));
        headers.add("mphub.error.class", HeaderValues.utf8(cause == null ? "" : cause.getClass().getName()));
        headers.add("mphub.source.topic", HeaderValues.utf8(header(exchange, KafkaConstants.TOPIC)));
        headers.add("mphub.source.partition", HeaderValues.utf8(header(exchange, KafkaConstants.PARTITION)));
        headers.add("mphub.source.offset", HeaderValues.utf8(header(exchange, KafkaConstants.OFFSET)));
        headers.add("mphub.failed.at", HeaderValues.utf8(clock.instant().toString()));
        return headers;
    }

    private static ProducerRecord<String, byte[]> record(Exchange exchange, String topic, RecordHeaders headers) {
        Object key = exchange.getMessage().getHeader(KafkaConstants.KEY);
        byte[] value = exchange.getMessage().getBody(byte[].class);
        return new ProducerRecord<>(topic, null, key == null ? null : key.toString(), value, headers);
    }

    private static String header(Exchange exchange, String name) {
        return String.valueOf(HeaderValues.text(exchange.getMessage().getHeader(name)));
    }
}
