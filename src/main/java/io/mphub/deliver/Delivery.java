package io.mphub.deliver;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.kafka.HeaderValues;
import io.mphub.privacy.Audit;
import io.mphub.privacy.Privacy;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one event to one destination, on its user's lane ({@link OutboxConsumer} runs many users' events through
 * the route at once, each user's one at a time): data contract and consent ({@link Privacy}; an event withheld for
 * want of consent is audited and counted, and goes nowhere), then attempts through the destination's kind
 * (request, signature, HTTP, outcome); retries with backoff
 * until the policy's bound, then dead-letters ({@link UndeliverableException}), unless the destination itself
 * looks down (no success since this record's first attempt), in which case it pauses the destination
 * ({@link DestinationPausedException}) and nothing is dead-lettered.
 */
public final class Delivery implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

    /** A destination with what it takes to send to it. */
    public record Target(Destination destination, Kind kind, HttpClient http, DestinationHealth health) {
    }

    /** The exchange property naming the destination ({@link OutboxConsumer} sets it). */
    public static final String DESTINATION = "destination";
    /**
     * The exchange property saying when the record was polled, a {@link Privacy#now()} reading: it is judged by the
     * consent recorded before then, with one catch-up for all the records of a poll.
     */
    static final String FORMED = "mphub.formed";
    private final Map<String, Target> targets;
    private final Privacy privacy;
    private final Audit audit;
    private final DeliveryLog log;
    private final Setbacks setbacks;
    private final DeliveryMeters meters;
    private final Clock clock;

    public Delivery(Map<String, Target> targets, Privacy privacy, Audit audit, Pauser pauser, DeliveryLog log,
            Stopping stopping, RandomGenerator random, Duration maxRetryAfter, MeterRegistry metrics, Clock clock) {
        this.log = log;
        this.clock = clock;
        this.targets = new ConcurrentHashMap<>();
        this.privacy = privacy;
        this.audit = audit;
        this.meters = new DeliveryMeters(metrics, clock);
        this.setbacks = new Setbacks(pauser, stopping, random, maxRetryAfter, meters);
        targets.values().forEach(this::add);
    }

    /** A destination started while the hub runs (before its route starts). */
    public void add(Target target) {
        meters.add(target.destination().name());
        audit.track(target.destination().name(), target.destination().contract().consent());
        targets.put(target.destination().name(), target);
    }

    /** A destination stopped while the hub runs (once its route has stopped). */
    public void remove(String destination) {
        targets.remove(destination);
        meters.remove(destination);
    }

    /** One record of a destination's outbox topic, as {@link OutboxConsumer} hands it to the route. */
    @Override
    public void process(Exchange exchange) {
        Long formed = exchange.getProperty(FORMED, Long.class);
        deliver(exchange, exchange.getProperty(DESTINATION, String.class), formed == null ? Privacy.now() : formed);
    }

    /** @param formed when the record was polled ({@link #FORMED}) */
    void deliver(Exchange exchange, String destination, long formed) {
        exchange.setProperty(DESTINATION, destination);
        Target target = target(destination);
        Destination d = target.destination();
        String id = HeaderValues.text(exchange.getMessage().getHeader("ce_id"));
        String type = HeaderValues.text(exchange.getMessage().getHeader("ce_type"));
        String recordRef = exchange.getMessage().getHeader(KafkaConstants.PARTITION) + "@"
                + exchange.getMessage().getHeader(KafkaConstants.OFFSET);
        Long dispatched = exchange.getMessage().getHeader(KafkaConstants.TIMESTAMP, Long.class);
        Privacy.Judged judged = privacy.judge(d.contract(), exchange.getMessage().getBody(byte[].class), formed);
        Audit.Entry audited = new Audit.Entry(id, judged.shared());
        if (judged instanceof Privacy.Withhold withheld) {
            audit.withheldLater(destination, withheld.scope(), withheld.reason(), audited);
            meters.count(destination, "withheld", withheld.reason(), 1);
            log.add(new DeliveryLog.Attempt(clock.instant(), destination, id, type, 0, "withheld", withheld.reason(),
                    "consent scope " + withheld.scope(), 0));
            return;
        }
        byte[] body = judged.shared().body();
        String what = "event " + id;
        long firstAttempt = System.nanoTime();
        for (int attempt = 1;; attempt++) {
            setbacks.unlessPaused(d, what);
            long started = System.nanoTime();
            Outcome outcome = send(target, id, body);
            log.add(new DeliveryLog.Attempt(clock.instant(), destination, id, type, attempt, outcome.name(),
                    outcome.reason(), outcome.message(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
            if (outcome instanceof Outcome.Delivered) {
                target.health().succeeded(started);
                meters.count(destination, "delivered", "ok", 1);
                meters.delivered(destination, dispatched);
                audit.deliveredLater(destination, d.contract().consent(), audited);
                return;
            }
            if (outcome instanceof Outcome.Skipped skipped) {
                target.health().succeeded(started);
                audit.notTakenLater(destination, d.contract().consent(), "skipped", skipped.reason(), audited);
                long so = meters.count(destination, "skipped", skipped.reason(), 1);
                LOG.info("event {} to {} skipped ({}: {}); {} so far", id, destination, skipped.reason(),
                        skipped.message(), so);
                return;
            }
            if (outcome instanceof Outcome.Permanent p) {
                audit.notTakenLater(destination, d.contract().consent(), "failed", p.reason(), audited);
                throw new UndeliverableException(p.reason(), p.message(), attempt);
            }
            if (outcome instanceof Outcome.Refused refused) {
                throw setbacks.refused(d, refused, what, 1);
            }
            if (outcome instanceof Outcome.Wait quota) {
                // No attempt is spent waiting for the window.
                attempt--;
                setbacks.quota(d, quota, what, 1);
                continue;
            }
            Outcome.Retry retry = (Outcome.Retry) outcome;
            if (!setbacks.retry(d, target.health(), retry, attempt, d.retry().maxAttempts(), firstAttempt, recordRef,
                    what, 1)) {
                audit.notTakenLater(destination, d.contract().consent(), "failed", "retries_exhausted", audited);
                throw new UndeliverableException("retries_exhausted", attempt + " attempts, last: " + retry.message(),
                        attempt);
            }
        }
    }

    private Outcome send(Target target, String id, byte[] body) {
        try {
            return target.kind().attempt(target.http(), id, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DestinationPausedException("interrupted; event " + id + " waits");
        }
    }

    /** A running destination, by name. */
    public Destination destination(String name) {
        return target(name).destination();
    }

    private Target target(String destination) {
        Target target = targets.get(destination);
        if (target == null) {
            throw new IllegalArgumentException("no destination '" + destination + "' is configured");
        }
        return target;
    }
}
