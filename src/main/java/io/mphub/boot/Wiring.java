package io.mphub.boot;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mphub.callback.Callback;
import io.mphub.config.ConfigurationException;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.deadletter.DeadLetters;
import io.mphub.deadletter.Replay;
import io.mphub.deliver.Delivery;
import io.mphub.deliver.DeliveryLog;
import io.mphub.deliver.Destination;
import io.mphub.deliver.DestinationHealth;
import io.mphub.deliver.Pauser;
import io.mphub.deliver.Stopping;
import io.mphub.enrich.Enricher;
import io.mphub.enrich.HubAttributes;
import io.mphub.event.CloudEventReader;
import io.mphub.event.Ingest;
import io.mphub.event.Results;
import io.mphub.kafka.CommitAfterFlush;
import io.mphub.kafka.ControlTopic;
import io.mphub.kafka.Outbox;
import io.mphub.kafka.Rewind;
import io.mphub.ops.ConsoleListener;
import io.mphub.ops.ConsoleSettings;
import io.mphub.ops.Health;
import io.mphub.ops.HttpListener;
import io.mphub.ops.HubHealth;
import io.mphub.ops.KafkaMonitor;
import io.mphub.ops.OperatorActions;
import io.mphub.ops.OpsSettings;
import io.mphub.ops.Overview;
import io.mphub.ops.StuckPartitions;
import io.mphub.privacy.DataContract;
import io.mphub.provider.Endpoints;
import io.mphub.provider.Provider;
import io.mphub.provider.ProviderContext;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.util.concurrent.CamelThreadFactory;

/**
 * The beans the route files call, bound by name ({@code ingest}, {@code outbox}, {@code offsets},
 * {@code deadLetters}, {@code rewind}, {@code delivery}, and each provider's, such as {@code wechatTokens}), what
 * serves the hub's HTTP port (the providers' callbacks, metrics and health), and the operators' console on its own.
 */
final class Wiring {

    private final CamelContext camel;
    private final HubConfiguration config;
    private final HubStart.Kafka kafka;
    private final Clock clock;
    private final Stopping stopping;
    private final ObjectMapper mapper = new ObjectMapper();
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> resources;

    /** @param resources where each thing it makes that must be closed goes, as soon as it is made */
    Wiring(CamelContext camel, HubConfiguration config, HubStart.Kafka kafka, Clock clock, Stopping stopping,
            List<AutoCloseable> resources) {
        this.resources = resources;
        this.camel = camel;
        this.config = config;
        this.kafka = kafka;
        this.clock = clock;
        this.stopping = stopping;
    }

    /** Binds the beans and starts the HTTP port; what it made is closed with the hub's resources, even if it fails. */
    void wire() {
        Registry registry = camel.getRegistry();
        resources.add(metrics::close);
        Outbox outbox = Outbox.connect(kafka.clients(), kafka.limits(), config.destinations().keySet());
        resources.add(outbox);
        ProviderContext context = new ProviderContext(clock, mapper, new Results(outbox, mapper, clock), metrics);

        registry.bind("ingest", ingest(context));
        registry.bind("outbox", outbox);
        registry.bind("offsets", new CommitAfterFlush(outbox));
        registry.bind("deadLetters", new DeadLetters(outbox, clock, metrics, config.destinations().keySet()));
        registry.bind("rewind", new Rewind());
        FunctionCounter.builder("mphub.ingest.unrouted", outbox, Outbox::unrouted)
                .description("accepted events the fan-out table sends nowhere").register(metrics);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);

        Pauser pauser = pauser();
        DeliveryLog log = new DeliveryLog(config.console().deliveryLogSize());
        registry.bind("delivery", delivery(context, pauser, log));
        Map<String, Callback> callbacks = new LinkedHashMap<>();
        for (Provider.Configured provider : config.providers()) {
            provider.beans(context).forEach(registry::bind);
            callbacks.putAll(provider.callbacks(context));
        }
        KafkaMonitor monitor = monitor();
        listen(registry, callbacks, health(pauser, monitor));
        console(pauser, monitor, log);
    }

    /**
     * The operators' console on its own listener, and what it acts through: the control topic, read to its end
     * before any route starts (a destination paused by hand stays paused across a restart), and replays.
     */
    private void console(Pauser pauser, KafkaMonitor monitor, DeliveryLog log) {
        OperatorActions actions = new OperatorActions(pauser, config.destinations().keySet(),
                new Replay(kafka.clients()), executor("mphub-replay"), mapper, clock);
        try {
            ControlTopic control = ControlTopic.follow(kafka.clients(), actions, Duration.ofSeconds(30));
            resources.add(control);
            actions.publishTo(control);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the hub cannot read its control topic: " + e.getMessage(), e);
        }
        camel.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStarted(CamelContext context) {
                pauser.suspendHeld();
            }
        });
        List<Overview.Target> targets = config.destinations().values().stream()
                .sorted(Comparator.comparing(Destination::name))
                .map(d -> new Overview.Target(d.name(), d.kind())).toList();
        Overview overview = new Overview(camel, targets, config.ingest().groupId(), pauser, monitor, log, metrics,
                clock);
        scheduler("mphub-rates").scheduleAtFixedRate(overview::sample, 0, config.ops().checkInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        ConsoleSettings settings = config.console();
        try {
            ConsoleListener listener = ConsoleListener.start(settings, overview, log, actions,
                    config.ingest().topics(), mapper, clock);
            resources.add(listener);
            camel.getRegistry().bind("consoleListener", listener);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException(List.of(Problem.setting(ConsoleSettings.PORT.key(),
                    "the console cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(),
                    ConsoleSettings.PORT.fix())));
        }
    }

    /** Ingest: the contract, the hub's attributes, and the providers' enrichers (reverse geocoding) in turn. */
    private Ingest ingest(ProviderContext context) {
        String instance = config.ingest().instanceId().orElse(ManagementFactory.getRuntimeMXBean().getName());
        List<Enricher> enrichers = config.providers().stream().flatMap(p -> p.enricher(context).stream()).toList();
        Enricher enricher = enrichers.isEmpty() ? Enricher.NONE : event -> enrichers.forEach(e -> e.enrich(event));
        return new Ingest(new CloudEventReader(mapper), config.contract(),
                new HubAttributes(instance, clock, new SecureRandom()), enricher, mapper, metrics);
    }

    private Pauser pauser() {
        ScheduledExecutorService scheduler = scheduler("mphub-probe");
        HttpClient probeClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return new Pauser(camel, scheduler, probeClient, config.delivery().firstProbe(), config.delivery().maxProbe(),
                clock);
    }

    /** Delivery: each destination with the kind its provider builds, its HTTP client and its health. */
    private Delivery delivery(ProviderContext context, Pauser pauser, DeliveryLog log) {
        Map<String, Delivery.Target> targets = new HashMap<>();
        for (Destination d : config.destinations().values()) {
            HttpClient http = Endpoints.client(d.url(), d.timeout());
            targets.put(d.name(), new Delivery.Target(d, config.kindOf().get(d.name()).kind(d, context), http,
                    new DestinationHealth()));
        }
        return new Delivery(Map.copyOf(targets), new DataContract(mapper), pauser, log, stopping, new SecureRandom(),
                config.delivery().maxRetryAfter(), metrics, clock);
    }

    /**
     * Readiness and its inputs: Kafka watched every {@code mphub.health.check-interval-ms}, the partitions that cannot
     * get past a record (from Camel's exchange events), and the destinations' pauses.
     */
    private Health health(Pauser pauser, KafkaMonitor monitor) {
        OpsSettings ops = config.ops();
        StuckPartitions stuck = new StuckPartitions(clock, metrics);
        camel.getManagementStrategy().addEventNotifier(stuck);
        List<HubHealth.Consumer> consumers = new ArrayList<>(List.of(new HubHealth.Consumer("ingest",
                config.ingest().groupId(), null)));
        for (Destination d : config.destinations().values()) {
            consumers.add(new HubHealth.Consumer(d.routeId(), d.consumerGroup(), d.name()));
            Gauge.builder("mphub.destination.paused", pauser, p -> p.isPaused(d.name()) ? 1 : 0)
                    .description("1 while the destination is paused (its endpoint is down, or a provider's window holds"
                            + " it), else 0").tag("destination", d.name()).register(metrics);
        }
        consumers.forEach(c -> StuckPartitions.failures().tags("route", c.route(), "error", "none").register(metrics));
        return new HubHealth(camel, monitor, stuck, pauser, consumers, ops.kafkaDownAfter(), ops.stuckAfter(), clock,
                mapper);
    }

    /**
     * Kafka watched every {@code mphub.health.check-interval-ms}: whether it answers, each consumer group's lag, and
     * the records in each dead-letter topic.
     */
    private KafkaMonitor monitor() {
        String ingestGroup = config.ingest().groupId();
        List<KafkaMonitor.Group> groups = new ArrayList<>(List.of(new KafkaMonitor.Group(ingestGroup,
                config.ingest().topics())));
        List<String> deadLetters = new ArrayList<>(List.of(DeadLetters.INGEST_TOPIC));
        for (Destination d : config.destinations().values()) {
            groups.add(new KafkaMonitor.Group(d.consumerGroup(), List.of(d.outboxTopic())));
            deadLetters.add(d.deadLetterTopic());
        }
        Duration interval = config.ops().checkInterval();
        KafkaMonitor monitor = new KafkaMonitor(kafka.admin(), kafka.bootstrapServers(), groups, deadLetters, interval,
                clock, metrics);
        scheduler("mphub-kafka-monitor").scheduleWithFixedDelay(monitor, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return monitor;
    }

    /** One thread for work in the background, stopped with the hub. */
    private ExecutorService executor(String name) {
        ExecutorService executor = Executors.newSingleThreadExecutor(new CamelThreadFactory("#name#", name, true));
        resources.add(executor::shutdownNow);
        return executor;
    }

    /** One daemon thread for timed work, stopped with the hub. */
    private ScheduledExecutorService scheduler(String name) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                new CamelThreadFactory("#name#", name, true));
        resources.add(scheduler::shutdownNow);
        return scheduler;
    }

    /** The hub's HTTP port: the providers' callbacks, /metrics, /health/live and /health/ready. */
    private void listen(Registry registry, Map<String, Callback> callbacks, Health health) {
        OpsSettings ops = config.ops();
        try {
            HttpListener listener = HttpListener.start(ops.host(), ops.port(), metrics, health, callbacks);
            resources.add(listener);
            registry.bind("httpListener", listener);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException(List.of(Problem.setting(OpsSettings.HTTP_PORT.key(),
                    "the hub cannot listen on port " + ops.port() + ": " + e.getMessage(), OpsSettings.HTTP_PORT.fix())));
        }
    }
}
