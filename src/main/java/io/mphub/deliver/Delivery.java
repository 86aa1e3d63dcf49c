package io.mphub.deliver;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.mphub.config.Durations;
import io.mphub.kafka.HeaderValues;
import io.mphub.privacy.DataContract;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one event to one destination: data contract, then attempts through the destination's kind
 * (request, signature, HTTP, outcome); retries with backoff
 * until the policy's bound, then dead-letters ({@link UndeliverableException}), unless the destination itself
 * looks down (no success since this record's first attempt), in which case it pauses the destination
 * ({@link DestinationPausedException}) and nothing is dead-lettered.
 */
public final class Delivery {

    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    /** The latency histogram's buckets: from a fast local receiver to a destination that was paused for minutes. */
    static final Duration[] LATENCY_BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000,
            30_000, 60_000, 300_000, 1_800_000).map(Duration::ofMillis).toArray(Duration[]::new);

    /** A destination with what it takes to send to it. */
    public record Target(Destination destination, Kind kind, HttpClient http, DestinationHealth health) {
    }

    private final Map<String, Target> targets;
    private final DataContract dataContract;
    private final Pauser pauser;
    private final DeliveryLog log;
    private final Stopping stopping;
    private final RandomGenerator random;
    private final Duration maxRetryAfter;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();

    public Delivery(Map<String, Target> targets, DataContract dataContract, Pauser pauser, DeliveryLog log,
            Stopping stopping, RandomGenerator random, Duration maxRetryAfter, MeterRegistry metrics, Clock clock) {
        this.log = log;
        this.metrics = metrics;
        this.clock = clock;
        this.targets = new ConcurrentHashMap<>(targets);
        this.dataContract = dataContract;
        this.pauser = pauser;
        this.stopping = stopping;
        this.random = random;
        this.maxRetryAfter = maxRetryAfter;
        targets.keySet().forEach(this::measure);
    }

    private void measure(String destination) {
        counter(destination, "delivered", "ok");
        latencies.put(destination, Timer.builder("mphub.delivery.latency")
                .description("from an event's acceptance (its outbox record's timestamp) to its delivery, retries and"
                        + " pauses included")
                .tag("destination", destination)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(metrics));
    }

    /** A destination started while the hub runs (before its route starts). */
    public void add(Target target) {
        measure(target.destination().name());
        targets.put(target.destination().name(), target);
    }

    /** A destination stopped while the hub runs (once its route has stopped). */
    public void remove(String destination) {
        targets.remove(destination);
        // Its meters leave the registry with it: a destination added again under its name registers new ones.
        counters.keySet().removeIf(k -> k.destination().equals(destination));
        latencies.remove(destination);
    }

    public void deliver(Exchange exchange, String destination) {
        exchange.setProperty("destination", destination);
        Target target = target(destination);
        Destination d = target.destination();
        String id = HeaderValues.text(exchange.getMessage().getHeader("ce_id"));
        String type = HeaderValues.text(exchange.getMessage().getHeader("ce_type"));
        String recordRef = exchange.getMessage().getHeader(KafkaConstants.PARTITION) + "@"
                + exchange.getMessage().getHeader(KafkaConstants.OFFSET);
        byte[] body = dataContract.apply(d.fields(), exchange.getMessage().getBody(byte[].class));
        long firstAttempt = System.nanoTime();
        for (int attempt = 1;; attempt++) {
            if (pauser.isPaused(destination)) {
                throw new DestinationPausedException(destination + " is paused; event " + id + " waits");
            }
            long started = System.nanoTime();
            Outcome outcome = send(target, id, body);
            log.add(new DeliveryLog.Attempt(clock.instant(), destination, id, type, attempt, outcome.name(),
                    outcome.reason(), outcome.message(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
            if (outcome instanceof Outcome.Delivered) {
                target.health().succeeded(started);
                count(destination, "delivered", "ok");
                Long accepted = exchange.getMessage().getHeader(KafkaConstants.TIMESTAMP, Long.class);
                if (accepted != null) {
                    latencies.get(destination).record(Math.max(0, clock.millis() - accepted), TimeUnit.MILLISECONDS);
                }
                return;
            }
            if (outcome instanceof Outcome.Skipped skipped) {
                target.health().succeeded(started);
                long so = count(destination, "skipped", skipped.reason());
                LOG.info("event {} to {} skipped ({}: {}); {} so far", id, destination, skipped.reason(),
                        skipped.message(), so);
                return;
            }
            if (outcome instanceof Outcome.Permanent p) {
                throw new UndeliverableException(p.reason(), p.message(), attempt);
            }
            if (outcome instanceof Outcome.Refused refused) {
                // The provider refuses the hub's own account: only an operator can end it, so it is said as an error.
                // Counted as the wait it is, as before the outcome had its own type (dashboards read quota_wait).
                count(destination, "quota_wait", refused.reason());
                LOG.error("event {} to {}: {}; the destination waits {}, then tries again (nothing is dead-lettered)",
                        id, destination, refused.message(), Durations.readable(refused.window()));
                pauser.pauseFor(d, refused.window(), refused.message());
                throw new DestinationPausedException(destination + " paused (" + refused.reason() + "); event " + id
                        + " waits");
            }
            if (outcome instanceof Outcome.Wait quota) {
                // The provider is up but its quota is spent: no attempt is spent waiting for the window.
                attempt--;
                count(destination, "quota_wait", quota.reason());
                if (quota.window().compareTo(maxRetryAfter) > 0) {
                    pauser.pauseFor(d, quota.window(), quota.message());
                    throw new DestinationPausedException(destination + " paused (" + quota.message() + "); event "
                            + id + " waits");
                }
                LOG.info("event {} to {}: {}; waiting {} ms", id, destination, quota.message(), quota.window().toMillis());
                if (!stopping.await(quota.window())) {
                    throw new DestinationPausedException("hub stopping; event " + id + " to " + destination + " waits");
                }
                continue;
            }
            Outcome.Retry retry = (Outcome.Retry) outcome;
            count(destination, "retry", retry.reason());
            if (attempt >= d.retry().maxAttempts()) {
                String why = attempt + " attempts, last: " + retry.message();
                // No attempt begun since this record's first one got through (after a resume, that is since the
                // resume): the endpoint is down, not the record bad. Pause, and dead-letter nothing.
                if (target.health().noSuccessSince(firstAttempt)) {
                    pauser.pause(d, recordRef, why);
                    throw new DestinationPausedException(destination + " paused (" + why + "); event " + id + " waits");
                }
                throw new UndeliverableException("retries_exhausted", why, attempt);
            }
            Duration wait = retry.retryAfter() != null
                    ? min(retry.retryAfter(), maxRetryAfter)
                    : d.retry().delayAfter(attempt, random);
            LOG.debug("event {} to {}: attempt {} failed ({}), retrying in {} ms", id, destination, attempt,
                    retry.message(), wait.toMillis());
            if (!stopping.await(wait)) {
                throw new DestinationPausedException("hub stopping; event " + id + " to " + destination + " waits");
            }
        }
    }

    private long count(String destination, String outcome, String reason) {
        Counter counter = counter(destination, outcome, reason);
        counter.increment();
        return (long) counter.count();
    }

    private Counter counter(String destination, String outcome, String reason) {
        // Every attempt passes here: a map lookup, not the registry's (tags sorted, an id built, each time).
        return counters.computeIfAbsent(new CounterKey(destination, outcome, reason), k -> Counter
                .builder("mphub.delivery.attempts")
                .description("delivery attempts by destination, outcome (delivered, retry, skipped, quota_wait) and"
                        + " reason")
                .tags("destination", destination, "outcome", outcome, "reason", reason).register(metrics));
    }

    private record CounterKey(String destination, String outcome, String reason) {
    }

    private Outcome send(Target target, String id, byte[] body) {
        try {
            return target.kind().attempt(target.http(), id, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DestinationPausedException("interrupted; event " + id + " waits");
        }
    }

    private Target target(String destination) {
        Target target = targets.get(destination);
        if (target == null) {
            throw new IllegalArgumentException("no destination '" + destination + "' is configured");
        }
        return target;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
