package io.mphub.deliver;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The delivery meters of every destination, one event at a time or in batches alike: attempts by outcome and reason
 * ({@code mphub.delivery.attempts}, per event), and the latency from acceptance to delivery.
 */
final class DeliveryMeters {

    /** The latency histogram's buckets: from a fast local receiver to a destination that was paused for minutes. */
    static final Duration[] LATENCY_BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000,
            30_000, 60_000, 300_000, 1_800_000).map(Duration::ofMillis).toArray(Duration[]::new);

    private final MeterRegistry metrics;
    private final Clock clock;
    private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();

    DeliveryMeters(MeterRegistry metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    /** A destination's meters, registered before its first event (a dashboard sees it at 0). */
    void add(String destination) {
        counter(destination, "delivered", "ok");
        latencies.put(destination, Timer.builder("mphub.delivery.latency")
                .description("from an event's acceptance (its outbox record's timestamp) to its delivery, retries and"
                        + " pauses included")
                .tag("destination", destination)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(metrics));
    }

    /** A destination stopped: a destination added again under its name registers new meters. */
    void remove(String destination) {
        counters.keySet().removeIf(k -> k.destination().equals(destination));
        latencies.remove(destination);
    }

    /** @return the count so far */
    long count(String destination, String outcome, String reason, int events) {
        Counter counter = counter(destination, outcome, reason);
        counter.increment(events);
        return (long) counter.count();
    }

    /** @param accepted the outbox record's timestamp, when it has one */
    void delivered(String destination, Long accepted) {
        if (accepted != null) {
            latencies.get(destination).record(Math.max(0, clock.millis() - accepted), TimeUnit.MILLISECONDS);
        }
    }

    private Counter counter(String destination, String outcome, String reason) {
        // Every attempt passes here: a map lookup, not the registry's (tags sorted, an id built, each time).
        return counters.computeIfAbsent(new CounterKey(destination, outcome, reason), k -> Counter
                .builder("mphub.delivery.attempts")
                .description("delivery attempts by destination, outcome (delivered, retry, skipped, quota_wait) and"
                        + " reason; an attempt of a batch counts once per event")
                .tags("destination", destination, "outcome", outcome, "reason", reason).register(metrics));
    }

    private record CounterKey(String destination, String outcome, String reason) {
    }
}
