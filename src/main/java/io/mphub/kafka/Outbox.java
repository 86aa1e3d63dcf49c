package io.mphub.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

import org.apache.camel.Exchange;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every record the hub writes to Kafka goes through here: fan-out to {@code mp.out.<destination>}, dead letters
 * and results. Sends are asynchronous (one idempotent producer, batched by Kafka); a consuming route calls
 * {@link #flushPending()} before it commits its offsets, so an offset is never committed ahead of what the
 * record it covers produced. Pending sends are tracked per consumer thread.
 */
public final class Outbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    private final Producer<String, byte[]> producer;
    private volatile RecordLimits limits;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final LongAdder unrouted = new LongAdder();
    private final ThreadLocal<List<Future<RecordMetadata>>> pending = ThreadLocal.withInitial(ArrayList::new);

    public Outbox(Producer<String, byte[]> producer, RecordLimits limits, Set<String> destinations) {
        this.producer = producer;
        this.limits = limits;
        this.known.addAll(destinations);
    }

    /** A destination started while the hub runs: the fan-out may send to it, within its topics' limits. */
    public void add(String destination, RecordLimits itsTopics) {
        limits = limits.with(itsTopics);
        known.add(destination);
    }

    /** A destination stopped while the hub runs: the fan-out no longer sends to it. */
    public void remove(String destination) {
        known.remove(destination);
    }

    public static Outbox connect(KafkaClients clients, RecordLimits limits, Set<String> destinations) {
        return new Outbox(new KafkaProducer<>(clients.producer("mphub-outbox"), new StringSerializer(),
                new ByteArraySerializer()), limits, destinations);
    }

    /** The most bytes a record to {@code topic} may count (see {@link RecordLimits#sizeOf}). */
    public int limit(String topic) {
        return limits.of(topic);
    }

    /**
     * The fan-out step: writes the accepted event (the body) to the outbox topic of every destination the
     * fan-out table chose, keyed by subject so one user's events stay in order.
     */
    public void dispatch(Exchange exchange) {
        String destinations = exchange.getProperty("destinations", "", String.class);
        String subject = exchange.getProperty("eventSubject", String.class);
        byte[] event = exchange.getMessage().getBody(byte[].class);
        int sent = 0;
        for (String destination : destinations.split(",")) {
            String name = destination.trim();
            if (!name.isEmpty()) {
                if (!known.contains(name)) {
                    // Start-up checks the table; a reloaded table is only checked here. Dead-lettered, not stalled.
                    throw new IllegalStateException("the fan-out table names unknown destination '" + name
                            + "' (fix dispatch.camel.yaml; known: " + new TreeSet<>(known) + ")");
                }
                send(new ProducerRecord<>("mp.out." + name, null, subject, event, eventHeaders(exchange)));
                sent++;
            }
        }
        if (sent == 0 && exchange.getProperty("destinations") == null) {
            // Accepted, but no branch of the fan-out table matched this type: counted, not silently lost. (A branch
            // that sets an empty list sends its types nowhere on purpose.)
            unrouted.increment();
            LOG.info("event {} of type {} matched no destination in the fan-out table ({} so far)",
                    exchange.getProperty("eventId"), exchange.getProperty("eventType"), unrouted.sum());
        }
        exchange.setProperty("dispatchedTo", sent);
    }

    private static RecordHeaders eventHeaders(Exchange exchange) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", HeaderValues.utf8(exchange.getProperty("eventId", String.class)));
        headers.add("ce_type", HeaderValues.utf8(exchange.getProperty("eventType", String.class)));
        headers.add("content-type", HeaderValues.utf8(CONTENT_TYPE));
        String traceparent = exchange.getProperty("traceparent", String.class);
        if (traceparent != null) {
            headers.add("traceparent", HeaderValues.utf8(traceparent));
        }
        return headers;
    }

    /** Accepted events the fan-out table sent nowhere, since start. */
    public long unrouted() {
        return unrouted.sum();
    }

    /**
     * Sends asynchronously; the current thread's next {@link #flushPending()} waits for it.
     *
     * @throws OversizedRecordException when the record is larger than its topic takes (nothing is sent)
     */
    public void send(ProducerRecord<String, byte[]> record) {
        pending.get().add(producer.send(checked(record)));
    }

    /** Sends and waits for the broker's acknowledgement. */
    public void sendNow(ProducerRecord<String, byte[]> record) {
        await(producer.send(checked(record)));
    }

    /**
     * Sends and waits for the broker's acknowledgement at most {@code deadline}, for a caller that must answer
     * someone in time (a provider's callback). Past it the record may still be written later; the caller treats it
     * as not written, and its repeat carries the same event id.
     */
    public void sendNow(ProducerRecord<String, byte[]> record, Duration deadline) {
        Future<RecordMetadata> future = producer.send(checked(record));
        try {
            future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new OutboxWriteException("Kafka did not acknowledge within " + deadline.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxWriteException("interrupted while writing to Kafka", e);
        } catch (ExecutionException e) {
            throw new OutboxWriteException("Kafka did not accept a record: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private ProducerRecord<String, byte[]> checked(ProducerRecord<String, byte[]> record) {
        if (!limits.fits(record)) {
            throw new OversizedRecordException(record.topic(), RecordLimits.sizeOf(record), limits.of(record.topic()));
        }
        return record;
    }

    /** Waits until every record this thread sent since its last flush is acknowledged; throws if any failed. */
    public void flushPending() {
        List<Future<RecordMetadata>> mine = pending.get();
        if (mine.isEmpty()) {
            return;
        }
        producer.flush();
        try {
            for (Future<RecordMetadata> future : mine) {
                await(future);
            }
        } finally {
            mine.clear();
        }
    }

    private static void await(Future<RecordMetadata> future) {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxWriteException("interrupted while writing to Kafka", e);
        } catch (ExecutionException e) {
            throw new OutboxWriteException("Kafka did not accept a record: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        // Bounded: with the broker gone, records still in flight would otherwise hold the stop for
        // delivery.timeout.ms (2 min). Nothing is lost by giving up: their offsets were never committed.
        producer.close(Duration.ofSeconds(10));
    }
}
