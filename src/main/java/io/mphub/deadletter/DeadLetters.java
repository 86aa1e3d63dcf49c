package io.mphub.deadletter;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.deliver.DeadLetterSink;
import io.mphub.deliver.Destination;
import io.mphub.deliver.UndeliverableException;
import io.mphub.event.RejectedEventException;
import io.mphub.kafka.HeaderValues;
import io.mphub.kafka.Outbox;
import io.mphub.kafka.OversizedRecordException;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes dead-letter records the way Kafka Connect does: the original key, value and headers, unchanged, plus
 * {@code mphub.error.*} and {@code mphub.source.*} headers saying why and from where. Called from the routes'
 * error handling with the original message.
 */
public final class DeadLetters implements DeadLetterSink {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    public static final String INGEST_TOPIC = "mp.dlq.ingest";
    /** An accepted event larger than the outbox topics (or a destination) take. */
    public static final String TOO_LARGE = UndeliverableException.TOO_LARGE;
    /** A record the hub could not process for a reason of its own (never an infrastructure failure: those are retried). */
    public static final String INTERNAL = UndeliverableException.INTERNAL;
    /** Why it was dead-lettered: a code such as {@code schema} or {@code retries_exhausted}. */
    public static final String REASON = "mphub.error.reason";
    /** The topic the record was read from, where a replay puts it back. */
    public static final String SOURCE_TOPIC = "mphub.source.topic";
    /** {@code mphub.error.message} is cut to this many characters (a schema failure can name every field of an event). */
    static final int MAX_MESSAGE = 2000;

    private final Outbox outbox;
    private final Clock clock;
    private final MeterRegistry metrics;

    /** The reasons every destination can give; a provider kind adds its own. */
    static final List<String> DELIVERY_REASONS = List.of("http_4xx", "retries_exhausted", INTERNAL);

    public DeadLetters(Outbox outbox, Clock clock, MeterRegistry metrics) {
        this.outbox = outbox;
        this.clock = clock;
        this.metrics = metrics;
        for (String reason : List.of(RejectedEventException.PARSE, RejectedEventException.ENVELOPE,
                RejectedEventException.UNKNOWN_TYPE, RejectedEventException.SCHEMA, TOO_LARGE, INTERNAL)) {
            counter(INGEST_TOPIC, reason);
        }
    }

    /** A destination's dead-letter counts, at 0 until its first. */
    public void track(String destination) {
        DELIVERY_REASONS.forEach(reason -> counter(Destination.deadLetterTopic(destination), reason));
    }

    /** An event that failed the contract: to {@code mp.dlq.ingest}, flushed with its batch before the commit. */
    public void rejected(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause instanceof RejectedEventException r ? r.reason()
                : cause instanceof OversizedRecordException ? TOO_LARGE : INTERNAL;
        RecordHeaders headers = headers(exchange, reason, cause);
        outbox.send(record(exchange, INGEST_TOPIC, headers));
        count(INGEST_TOPIC, reason);
        LOG.warn("rejected record {}/{}@{}: {}: {} -> {}", header(exchange, KafkaConstants.TOPIC),
                header(exchange, KafkaConstants.PARTITION), header(exchange, KafkaConstants.OFFSET), reason,
                cause == null ? "" : cut(String.valueOf(cause.getMessage())), INGEST_TOPIC);
    }

    /** An event a destination could not take: to {@code mp.dlq.<destination>}, acknowledged before we go on. */
    public void undeliverable(Exchange exchange) {
        deadLetter(exchange, exchange.getProperty("destination", String.class),
                exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    /** One event of a batch the destination will not take, before the batch's offsets are committed. */
    @Override
    public void deadLetter(Exchange record, String destination, UndeliverableException why) {
        deadLetter(record, destination, (Throwable) why);
    }

    private void deadLetter(Exchange exchange, String destination, Throwable cause) {
        String reason = cause instanceof UndeliverableException u ? u.reason() : INTERNAL;
        RecordHeaders headers = headers(exchange, reason, cause);
        headers.add("mphub.destination", HeaderValues.utf8(destination));
        if (cause instanceof UndeliverableException u) {
            headers.add("mphub.attempts", HeaderValues.utf8(Integer.toString(u.attempts())));
        }
        String topic = Destination.deadLetterTopic(destination);
        outbox.sendNow(record(exchange, topic, headers));
        count(topic, reason);
        LOG.warn("event {} dead-lettered for {}: {}: {} -> {}", header(exchange, "ce_id"), destination, reason,
                cause == null ? "" : cut(String.valueOf(cause.getMessage())), topic);
    }

    /** Whether a header is one a dead letter (or a replay) added to the original record. */
    static boolean added(String header) {
        return header.startsWith("mphub.error.") || header.startsWith("mphub.source.")
                || header.startsWith("mphub.original.") || header.startsWith("mphub.replay")
                || List.of("mphub.failed.at", "mphub.destination", "mphub.attempts", DeadLetterRecord.TRUNCATED)
                        .contains(header);
    }

    private void count(String topic, String reason) {
        counter(topic, reason).increment();
    }

    private Counter counter(String topic, String reason) {
        return Counter.builder("mphub.dead.letters").description("records written to a dead-letter topic, by topic and"
                + " reason").tags("topic", topic, "reason", reason).register(metrics);
    }

    /** The {@code mphub.*} headers saying why and from where. */
    private RecordHeaders headers(Exchange exchange, String reason, Throwable cause) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON, HeaderValues.utf8(reason));
        headers.add("mphub.error.message", HeaderValues.utf8(cause == null ? "" : cut(String.valueOf(cause.getMessage()))));
        headers.add("mphub.error.class", HeaderValues.utf8(cause == null ? "" : cause.getClass().getName()));
        headers.add(SOURCE_TOPIC, HeaderValues.utf8(header(exchange, KafkaConstants.TOPIC)));
        headers.add("mphub.source.partition", HeaderValues.utf8(header(exchange, KafkaConstants.PARTITION)));
        headers.add("mphub.source.offset", HeaderValues.utf8(header(exchange, KafkaConstants.OFFSET)));
        headers.add("mphub.failed.at", HeaderValues.utf8(clock.instant().toString()));
        return headers;
    }

    /** The original record (key, value, its own headers) and the error headers, whole or as much as the topic takes. */
    private ProducerRecord<String, byte[]> record(Exchange exchange, String topic, RecordHeaders error) {
        Object key = exchange.getMessage().getHeader(KafkaConstants.KEY);
        byte[] value = exchange.getMessage().getBody(byte[].class);
        RecordHeaders original = new RecordHeaders();
        // The original record's own headers, unchanged: the record's (camel-kafka keeps them, and a consumer with
        // UncopiedHeaders copies none into the message), else the message's; the consumer's kafka.* and Camel* are
        // not its own.
        if (exchange.getMessage().getHeader(KafkaConstants.HEADERS) instanceof Headers record) {
            for (Header h : record) {
                if (own(h.key())) {
                    original.add(h.key(), h.value());
                }
            }
        } else {
            for (Map.Entry<String, Object> h : exchange.getMessage().getHeaders().entrySet()) {
                if (own(h.getKey()) && h.getValue() != null) {
                    original.add(h.getKey(), h.getValue() instanceof byte[] b ? b
                            : HeaderValues.utf8(String.valueOf(h.getValue())));
                }
            }
        }
        ProducerRecord<String, byte[]> record = DeadLetterRecord.fitting(topic, key == null ? null : key.toString(), value,
                original, error, outbox.limit(topic));
        if (record.headers().lastHeader(DeadLetterRecord.TRUNCATED) != null) {
            LOG.warn("the dead letter of {}/{}@{} ({} bytes) is larger than {} takes: stored in part (cut: {}; the whole"
                    + " value's SHA-256 is {})", header(exchange, KafkaConstants.TOPIC),
                    header(exchange, KafkaConstants.PARTITION), header(exchange, KafkaConstants.OFFSET),
                    value == null ? 0 : value.length, topic, DeadLetterRecord.header(record.headers(),
                            DeadLetterRecord.TRUNCATED), DeadLetterRecord.header(record.headers(),
                            DeadLetterRecord.ORIGINAL_SHA256));
        }
        return record;
    }

    private static boolean own(String header) {
        return !header.startsWith("kafka.") && !header.startsWith("Camel");
    }

    private static String cut(String message) {
        return message.length() <= MAX_MESSAGE ? message
                : message.substring(0, MAX_MESSAGE) + "… (" + (message.length() - MAX_MESSAGE) + " more characters)";
    }

    private static String header(Exchange exchange, String name) {
        return String.valueOf(HeaderValues.text(exchange.getMessage(), name));
    }
}
