package io.mphub.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.config.Durations;
import io.mphub.deliver.Pauser;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.support.service.ServiceHelper;

/**
 * The hub's liveness and readiness, the conventional pair.
 * <ul>
 * <li>Live: the process works (its Camel context runs). A failing liveness check is a reason to restart it.</li>
 * <li>Ready: the hub can do its job. Not ready while Kafka has not answered for {@code kafkaDownAfter}, while a
 * partition has been stuck behind a record for {@code stuckAfter}, while a consumer route is not running, and while
 * every destination is paused (nothing can be delivered). One paused destination alone leaves the hub ready: it is
 * the hub doing its job (holding events for a third party that is down), and shows as paused.</li>
 * </ul>
 * The report says all of it in JSON: Kafka, each consumer (state, lag, stuck partitions), each destination (running
 * or paused, since when, why, until when), and the problems that make it unready.
 */
public final class HubHealth implements Health {

    /** A consumer route of the hub and its Kafka consumer group. */
    public record Consumer(String route, String group, String destination) {
    }

    private final CamelContext camel;
    private final KafkaMonitor kafka;
    private final StuckPartitions stuck;
    private final Pauser pauser;
    private final List<Consumer> consumers;
    private final Duration kafkaDownAfter;
    private final Duration stuckAfter;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final List<Supplier<String>> warnings = new CopyOnWriteArrayList<>();

    public HubHealth(CamelContext camel, KafkaMonitor kafka, StuckPartitions stuck, Pauser pauser, List<Consumer> consumers,
            Duration kafkaDownAfter, Duration stuckAfter, Clock clock, ObjectMapper mapper) {
        this.camel = camel;
        this.kafka = kafka;
        this.stuck = stuck;
        this.pauser = pauser;
        this.consumers = new CopyOnWriteArrayList<>(consumers);
        this.kafkaDownAfter = kafkaDownAfter;
        this.stuckAfter = stuckAfter;
        this.clock = clock;
        this.mapper = mapper;
    }

    /**
     * Something the report says while it holds, without making the hub unready (the supplier names it, else null):
     * what an operator should know of, but that does not stop the hub doing its job.
     */
    public void warn(Supplier<String> warning) {
        warnings.add(warning);
    }

    /** A consumer started while the hub runs (a destination added). */
    public void add(Consumer consumer) {
        consumers.add(consumer);
    }

    /** A consumer stopped while the hub runs (a destination removed). */
    public void remove(String route) {
        consumers.removeIf(c -> c.route().equals(route));
    }

    @Override
    public boolean live() {
        return camel.isStarted();
    }

    @Override
    public Report readiness() {
        Instant now = clock.instant();
        List<String> problems = new ArrayList<>();
        ObjectNode json = mapper.createObjectNode();
        // Status and problems first, for a person reading it; filled in at the end.
        json.put("status", "UP");
        ArrayNode problemNodes = json.putArray("problems");
        json.put("checkedAt", now.toString());
        if (!camel.isStarted()) {
            problems.add("the hub is " + camel.getStatus().name().toLowerCase());
        }

        KafkaMonitor.Connectivity c = kafka.connectivity();
        ObjectNode k = json.putObject("kafka").put("status", c.up() ? "UP" : "DOWN")
                .put("bootstrapServers", kafka.bootstrapServers()).put("since", c.since().toString());
        if (!c.up()) {
            k.put("error", c.error());
            Duration down = Duration.between(c.since(), now);
            if (down.compareTo(kafkaDownAfter) >= 0) {
                problems.add("Kafka unreachable at " + kafka.bootstrapServers() + " for " + Durations.readable(down)
                        + ": " + c.error());
            }
        }

        List<StuckPartitions.Stuck> stuckNow = stuck.now();
        ArrayNode consumerNodes = json.putArray("consumers");
        int paused = 0;
        int destinations = 0;
        ArrayNode destinationNodes = mapper.createArrayNode();
        for (Consumer consumer : consumers) {
            ObjectNode node = consumerNodes.addObject().put("route", consumer.route()).put("group", consumer.group())
                    .put("state", state(camel, consumer.route()));
            kafka.lag(consumer.group()).ifPresent(lag -> node.put("lag", lag));
            if (!"running".equals(node.get("state").asText()) && !"suspended".equals(node.get("state").asText())) {
                problems.add("route " + consumer.route() + " is " + node.get("state").asText());
            }
            ArrayNode stuckNodes = node.putArray("stuck");
            for (StuckPartitions.Stuck s : stuckNow) {
                if (s.key().route().equals(consumer.route())) {
                    Duration d = s.duration(now);
                    stuckNodes.addObject().put("topic", s.key().topic()).put("partition", s.key().partition())
                            .put("offset", s.offset()).put("since", s.since().toString()).put("tries", s.tries())
                            .put("error", s.error());
                    if (d.compareTo(stuckAfter) >= 0) {
                        problems.add(s.key() + " stuck at offset " + s.offset() + " for " + Durations.readable(d)
                                + ": " + s.error());
                    }
                }
            }
            if (consumer.destination() != null) {
                boolean byHandOnly = pauser.automatic(consumer.destination()).isEmpty()
                        && pauser.pause(consumer.destination()).isPresent();
                if (!byHandOnly) {
                    destinations++; // one an operator paused is not one that cannot deliver
                }
                ObjectNode d = destinationNodes.addObject().put("name", consumer.destination());
                var pause = pauser.pause(consumer.destination());
                if (pauser.automatic(consumer.destination()).isPresent()) {
                    paused++; // an operator's pause is the hub doing what it was told, not failing
                }
                if (pause.isPresent()) {
                    d.put("state", "paused").setAll((ObjectNode) mapper.valueToTree(Overview.PauseView.of(pause.get())));
                } else {
                    d.put("state", "running");
                }
            }
        }
        json.set("destinations", destinationNodes);
        if (destinations > 0 && paused == destinations) {
            problems.add("every destination is paused: nothing can be delivered");
        }
        ArrayNode warningNodes = json.putArray("warnings");
        warnings.stream().map(Supplier::get).filter(w -> w != null).forEach(warningNodes::add);
        json.put("status", problems.isEmpty() ? "UP" : "DOWN");
        problems.forEach(problemNodes::add);
        return new Report(problems.isEmpty(), json);
    }

    /** A route's state: {@code running}, {@code suspended} (its consumer is paused), {@code missing}, or Camel's. */
    static String state(CamelContext camel, String routeId) {
        Route route = camel.getRoute(routeId);
        if (route == null) {
            return "missing";
        }
        if (ServiceHelper.isSuspended(route.getConsumer())) {
            return "suspended";
        }
        return camel.getRouteController().getRouteStatus(routeId).isStarted() ? "running"
                : camel.getRouteController().getRouteStatus(routeId).name().toLowerCase();
    }
}
