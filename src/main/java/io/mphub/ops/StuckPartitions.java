package io.mphub.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.config.Durations;
import io.mphub.deliver.DestinationPausedException;
import io.mphub.kafka.HeaderValues;
import io.mphub.kafka.OutboxWriteException;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Partitions that cannot get past a record. A record whose processing fails without being handled (the hub's own
 * infrastructure failed: Kafka refused a write, a commit failed, a dead letter could not be written) is not committed,
 * and its consumer reads it again, as often as it takes. That loop must not be silent: the first failure is logged at
 * once, then one line a minute while it lasts, and one when the partition moves again; the partitions stuck are
 * counted ({@code mphub_consumer_stuck_partitions}) and make the hub unready after a while ({@code /health/ready}).
 * <p>
 * It listens to Camel's exchange events: every failed exchange, and completed ones only while a partition is stuck,
 * so that an exchange that succeeds costs nothing here. A pause is not a failure: a paused destination shows as
 * paused, not stuck.
 */
public final class StuckPartitions extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(StuckPartitions.class);
    /** How often a partition still stuck is logged again. */
    static final Duration LOG_EVERY = Duration.ofMinutes(1);
    /**
     * A stuck partition whose consumer neither fails nor gets past it for this long is forgotten: it no longer reads
     * it (the partition went to another replica, the broker is away, the destination paused).
     */
    static final Duration FORGET_AFTER = Duration.ofMinutes(2);

    /** One partition of one route's consumer. */
    public record Key(String route, String topic, int partition) {
        @Override
        public String toString() {
            return route + ": " + topic + "-" + partition;
        }
    }

    /** A partition stuck at {@code offset} since {@code since}, after {@code tries} failures, the last one {@code error}. */
    public record Stuck(Key key, long offset, Instant since, Instant lastSeen, int tries, String error,
            Instant lastLogged) {
        public Duration duration(Instant now) {
            return Duration.between(since, now);
        }
    }

    private final Clock clock;
    private final MeterRegistry metrics;
    private final Map<Key, Stuck> stuck = new ConcurrentHashMap<>();

    public StuckPartitions(Clock clock, MeterRegistry metrics) {
        this.clock = clock;
        this.metrics = metrics;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreStepEvents(true);
        Gauge.builder("mphub.consumer.stuck.partitions", stuck, Map::size)
                .description("partitions whose consumer cannot get past a record (the hub's infrastructure failed"
                        + " on it; it is read again until it can)")
                .register(metrics);
    }

    /** Completed exchanges matter only while something is stuck: then one of them may be the way past it. */
    @Override
    public boolean isIgnoreExchangeCompletedEvent() {
        return stuck.isEmpty();
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof CamelEvent.ExchangeEvent e)) {
            return;
        }
        Exchange exchange = e.getExchange();
        String topic = HeaderValues.text(exchange.getMessage().getHeader(KafkaConstants.TOPIC));
        Integer partition = exchange.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class);
        Long offset = exchange.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
        if (topic == null || partition == null || offset == null) {
            return; // not a record read from Kafka
        }
        Key key = new Key(exchange.getFromRouteId(), topic, partition);
        if (event instanceof CamelEvent.ExchangeFailedEvent) {
            Throwable cause = exchange.getException();
            if (cause != null && !(cause instanceof DestinationPausedException)) {
                failed(key, offset, cause);
            }
        } else if (event instanceof CamelEvent.ExchangeCompletedEvent) {
            passed(key, offset);
        }
    }

    private void failed(Key key, long offset, Throwable cause) {
        Instant now = clock.instant();
        String error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        Stuck was = stuck.get(key);
        Stuck now1 = was == null || was.offset() != offset
                ? new Stuck(key, offset, now, now, 1, error, now)
                : new Stuck(key, offset, was.since(), now, was.tries() + 1, error, was.lastLogged());
        failures().tags("route", key.route(), "error", cause.getClass().getSimpleName()).register(metrics).increment();
        if (was == null || was.offset() != offset) {
            boolean infrastructure = cause instanceof OutboxWriteException || cause instanceof KafkaException;
            if (infrastructure) {
                LOG.warn("{} cannot get past offset {}: {}; reading it again until it can (nothing is dead-lettered"
                        + " for this)", key, offset, error);
            } else {
                LOG.warn("{} cannot get past offset {}: {}; reading it again until it can", key, offset, error, cause);
            }
        } else if (!now.isBefore(was.lastLogged().plus(LOG_EVERY))) {
            LOG.error("{} stuck at offset {} for {}, {} tries; last: {}", key, offset,
                    Durations.readable(now1.duration(now)), now1.tries(), error);
            now1 = new Stuck(key, offset, now1.since(), now, now1.tries(), error, now);
        }
        stuck.put(key, now1);
    }

    private void passed(Key key, long offset) {
        Stuck was = stuck.get(key);
        if (was != null && offset >= was.offset() && stuck.remove(key, was)) {
            LOG.info("{} moving again past offset {} after {} ({} tries)", key, was.offset(),
                    Durations.readable(was.duration(clock.instant())), was.tries());
        }
    }

    /** The partitions stuck now, longest first; those no consumer has touched for a while are forgotten. */
    public List<Stuck> now() {
        Instant now = clock.instant();
        stuck.values().removeIf(s -> s.lastSeen().plus(FORGET_AFTER).isBefore(now));
        return stuck.values().stream().sorted(Comparator.comparing(Stuck::since)).toList();
    }

    /** Records read again, by route and error; registered at 0 per route at start-up. */
    public static Counter.Builder failures() {
        return Counter.builder("mphub.infrastructure.failures")
                .description("records read again because the hub's own infrastructure failed on them");
    }
}
