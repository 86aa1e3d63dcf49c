package io.mphub.ops;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.deadletter.DeadLetters;
import io.mphub.deliver.DeliveryLog;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Pauser;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the console shows, and its JSON API serves: per destination its state, lag, rate, retries, dead letters and
 * last error; for ingest its rate, lag and rejections by reason. Lag and dead-letter counts are Kafka's (from the
 * last health check); rates and counts since start are this replica's.
 */
public final class Overview {

    private static final Logger LOG = LoggerFactory.getLogger(Overview.class);

    /** A destination and its kind, as configured. */
    public record Target(String name, String kind) {
    }

    /**
     * One destination.
     *
     * @param state       {@code running}, {@code paused} or {@code stopped} (its route does not run)
     * @param pause       why, since and until when, while paused
     * @param lag         records in {@code mp.out.<name>} not yet delivered (null until Kafka has answered)
     * @param deadLetters records in {@code mp.dlq.<name>} (null until Kafka has answered)
     */
    public record DestinationView(String name, String kind, String state, PauseView pause, Long lag,
            double deliveredPerSecond, long delivered, long retries, long deadLettered, Long deadLetters,
            DeliveryLog.Attempt lastError) {
    }

    /** @param nextProbe when its endpoint is probed next (an endpoint that is down) */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PauseView(String cause, String why, String since, String until, String nextProbe) {

        static PauseView of(Pauser.Pause p) {
            return new PauseView(p.cause().name().toLowerCase(Locale.ROOT), p.why(), p.since().toString(),
                    p.until() == null ? null : p.until().toString(),
                    p.nextProbe() == null ? null : p.nextProbe().toString());
        }
    }

    /** @param rejected this replica's rejections since start, by reason */
    public record IngestView(double eventsPerSecond, long accepted, Long lag, Map<String, Long> rejected,
            Long deadLetters) {
    }

    public record View(String at, boolean kafkaUp, IngestView ingest, List<DestinationView> destinations) {
    }

    private final CamelContext camel;
    private final List<Target> targets;
    private final String ingestGroup;
    private final Pauser pauser;
    private final KafkaMonitor kafka;
    private final DeliveryLog log;
    private final MeterRegistry metrics;
    private final Rates rates;
    private final Clock clock;

    public Overview(CamelContext camel, List<Target> targets, String ingestGroup, Pauser pauser, KafkaMonitor kafka,
            DeliveryLog log, MeterRegistry metrics, Clock clock) {
        this.camel = camel;
        this.targets = new CopyOnWriteArrayList<>();
        this.ingestGroup = ingestGroup;
        this.pauser = pauser;
        this.kafka = kafka;
        this.log = log;
        this.metrics = metrics;
        this.rates = new Rates(clock);
        this.clock = clock;
        targets.forEach(this::add);
        rates.track("ingest", () -> count("mphub.events.accepted"));
    }

    /** A destination started while the hub runs. */
    public void add(Target t) {
        rates.track(t.name(), () -> count("mphub.delivery.attempts", "destination", t.name(), "outcome",
                "delivered"));
        targets.add(t);
        targets.sort(Comparator.comparing(Target::name));
    }

    /** A destination stopped while the hub runs. */
    public void remove(String name) {
        targets.removeIf(t -> t.name().equals(name));
        rates.untrack(name);
    }

    /** Reads the counts the rates come from: every health check. */
    public void sample() {
        try {
            rates.run();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: the rates would stand still.
            LOG.warn("rates not read: {}", e.toString());
        }
    }

    /** The destinations' names, in the console's order. */
    public List<String> destinations() {
        return targets.stream().map(Target::name).toList();
    }

    public View now() {
        List<DestinationView> destinations = targets.stream().map(this::destination).toList();
        Map<String, Long> rejected = new TreeMap<>();
        for (Counter c : metrics.find("mphub.dead.letters").tag("topic", DeadLetters.INGEST_TOPIC).counters()) {
            rejected.merge(c.getId().getTag("reason"), (long) c.count(), Long::sum);
        }
        IngestView ingest = new IngestView(rates.perSecond("ingest"), (long) count("mphub.events.accepted"),
                kafka.lag(ingestGroup).orElse(null), rejected, kafka.records(DeadLetters.INGEST_TOPIC).orElse(null));
        return new View(clock.instant().toString(), kafka.connectivity().up(), ingest, destinations);
    }

    private DestinationView destination(Target t) {
        String route = Destination.routeId(t.name());
        PauseView pause = pauser.pause(t.name()).map(PauseView::of).orElse(null);
        String routeState = HubHealth.state(camel, route);
        String state = pause != null ? "paused" : "running".equals(routeState) ? "running" : "stopped";
        String dlq = Destination.deadLetterTopic(t.name());
        return new DestinationView(t.name(), t.kind(), state, pause,
                kafka.lag(Destination.consumerGroup(t.name())).orElse(null), rates.perSecond(t.name()),
                (long) count("mphub.delivery.attempts", "destination", t.name(), "outcome", "delivered"),
                (long) count("mphub.delivery.attempts", "destination", t.name(), "outcome", "retry"),
                (long) count("mphub.dead.letters", "topic", dlq), kafka.records(dlq).orElse(null),
                log.lastFailure(t.name()).orElse(null));
    }

    /** The sum of a counter's series with these tags. */
    private double count(String name, String... tags) {
        return metrics.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }
}
