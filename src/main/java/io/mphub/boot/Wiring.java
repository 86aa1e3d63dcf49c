package io.mphub.boot;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import io.mphub.deliver.BatchDelivery;
import io.mphub.deliver.Delivery;
import io.mphub.deliver.DeliveryComponent;
import io.mphub.deliver.DeliveryLog;
import io.mphub.deliver.Destination;
import io.mphub.deliver.OwnedPartitions;
import io.mphub.deliver.Pauser;
import io.mphub.deliver.Stopping;
import io.mphub.enrich.Enricher;
import io.mphub.enrich.HubAttributes;
import io.mphub.event.CloudEventReader;
import io.mphub.event.Ingest;
import io.mphub.event.Results;
import io.mphub.kafka.CommitAfterFlush;
import io.mphub.kafka.CallbackLedger;
import io.mphub.kafka.FollowedTopic;
import io.mphub.kafka.JobLedger;
import io.mphub.kafka.Outbox;
import io.mphub.kafka.RecordLimits;
import io.mphub.kafka.Rewind;
import io.mphub.ops.ConsoleListener;
import io.mphub.ops.ConsoleSettings;
import io.mphub.ops.HttpListener;
import io.mphub.ops.HubHealth;
import io.mphub.ops.KafkaMonitor;
import io.mphub.ops.OperatorActions;
import io.mphub.ops.OpsSettings;
import io.mphub.ops.Overview;
import io.mphub.ops.StuckPartitions;
import io.mphub.privacy.Audit;
import io.mphub.privacy.ConsentStore;
import io.mphub.privacy.Privacy;
import io.mphub.provider.Provider;
import io.mphub.provider.ProviderContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
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

    /**
     * Binds the beans and starts the HTTP port and the console; what it made is closed with the hub's resources, even
     * if it fails.
     *
     * @return the running destinations, each attached to what it needs; live reload starts and stops more
     */
    LiveDestinations wire() {
        Registry registry = camel.getRegistry();
        resources.add(metrics::close);
        Outbox outbox = Outbox.connect(kafka.clients(), kafka.limits(), Set.of());
        resources.add(outbox);
        CallbackLedger ledger = callbackLedger();
        ProviderContext context = new ProviderContext(clock, mapper, new Results(outbox, ledger, mapper, clock),
                metrics, new JobLedger(kafka.clients()));

        ConsentStore consent = new ConsentStore(mapper, config.privacy().consentWait());
        FollowedTopic consentTopic = followConsent(consent);
        registry.bind("ingest", ingest(context, consent));
        registry.bind("outbox", outbox);
        registry.bind("offsets", new CommitAfterFlush(outbox));
        DeadLetters deadLetters = new DeadLetters(outbox, clock, metrics);
        registry.bind("deadLetters", deadLetters);
        registry.bind("rewind", new Rewind());
        FunctionCounter.builder("mphub.ingest.unrouted", outbox, Outbox::unrouted)
                .description("accepted events the fan-out table sends nowhere").register(metrics);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);

        Pauser pauser = pauser();
        DeliveryLog log = new DeliveryLog(config.console().deliveryLogSize());
        Privacy privacy = new Privacy(mapper, consent);
        Audit audit = new Audit(outbox, config.privacy().auditKey(), mapper, clock, metrics);
        SecureRandom backoff = new SecureRandom();
        Delivery delivery = new Delivery(Map.of(), privacy, audit, pauser, log, stopping, backoff,
                config.delivery().maxRetryAfter(), metrics, clock);
        registry.bind("delivery", delivery);
        camel.addComponent(DeliveryComponent.SCHEME, new DeliveryComponent(delivery::destination, audit, metrics,
                stopping));
        // camel-kafka subscribes every consumer through it: a batch destination's rate follows its partitions.
        OwnedPartitions owned = new OwnedPartitions(() -> camel.getComponent("kafka", KafkaComponent.class)
                .isSubscribeConsumerTopicMustExists());
        registry.bind(OwnedPartitions.BEAN, owned);
        BatchDelivery batchDelivery = new BatchDelivery(privacy, audit, deadLetters, pauser, log, stopping, backoff,
                config.delivery().maxRetryAfter(), metrics, clock, owned);
        registry.bind("batchDelivery", batchDelivery);
        Map<String, Callback> callbacks = new LinkedHashMap<>();
        for (Provider.Configured provider : config.providers()) {
            provider.beans(context).forEach(registry::bind);
            callbacks.putAll(provider.callbacks(context));
        }
        KafkaMonitor monitor = monitor();
        HubHealth health = health(pauser, monitor);
        health.warn(() -> consentTopic.following() ? null : "the consent topic " + ConsentStore.TOPIC + " cannot be"
                + " read: nothing that needs a user's consent is delivered until it can");
        health.warn(() -> ledger.following() ? null : "the callbacks' ledger " + CallbackLedger.TOPIC + " cannot be"
                + " read: a provider's repeated callback cannot be recognised, and is answered with an error until it"
                + " can");
        listen(registry, callbacks, health);
        OperatorActions actions = new OperatorActions(pauser, Set.of(), new Replay(kafka.clients()),
                executor("mphub-replay"), mapper, clock);
        Overview overview = new Overview(camel, List.of(), config.ingest().groupId(), pauser, monitor, log, metrics,
                clock);
        LiveDestinations live = new LiveDestinations(camel, config, kafka, new LiveDestinations.Parts(outbox,
                deadLetters, delivery, batchDelivery, pauser, monitor, health, overview, actions, context, metrics));
        Map<String, String> files = config.files();
        config.destinations().values().stream().sorted(Comparator.comparing(Destination::name))
                .forEach(d -> live.attach(d, config.kindOf().get(d.name()), files.get(d.name()), new RecordLimits(Map.of())));
        console(pauser, actions, overview, log, health);
        return live;
    }

    /**
     * The operators' console on its own listener, and what it acts through: the control topic, read to its end
     * before any route starts (a destination paused by hand stays paused across a restart), and replays.
     */
    private void console(Pauser pauser, OperatorActions actions, Overview overview, DeliveryLog log,
            HubHealth health) {
        FollowedTopic control = follow(FollowedTopic.CONTROL, actions, "mphub.control.following",
                "the control topic");
        actions.publishTo(control);
        health.warn(() -> control.following() ? null : "the control topic " + FollowedTopic.CONTROL + " cannot be"
                + " read: operators' pauses and resumes from other replicas do not reach this one");
        camel.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStarted(CamelContext context) {
                pauser.suspendPaused();
            }
        });
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

    /**
     * What providers' callbacks published ({@link CallbackLedger}), read to its end before the HTTP port opens, then
     * followed; the gauge mphub.callbacks.following says whether it is.
     */
    private CallbackLedger callbackLedger() {
        CallbackLedger ledger = new CallbackLedger(kafka.clients(), clock, Results.DEADLINE);
        ledger.follow(follow(CallbackLedger.TOPIC, ledger, "mphub.callbacks.following", "the callbacks' ledger"));
        return ledger;
    }

    /**
     * The users' consent: the consent topic read to its end before any route starts, then followed. A replica that
     * cannot read it delivers nothing that needs consent (each such event waits, then is tried again), and says so in
     * readiness's warnings and the gauge mphub.consent.following.
     */
    private FollowedTopic followConsent(ConsentStore consent) {
        FollowedTopic topic = follow(ConsentStore.TOPIC, consent, "mphub.consent.following", "the consent topic");
        consent.follow(topic);
        return topic;
    }

    /** A topic every replica follows, read to its end first; closed with the hub; {@code gauge} says if it is followed. */
    private FollowedTopic follow(String name, FollowedTopic.Listener listener, String gauge, String what) {
        try {
            FollowedTopic topic = FollowedTopic.follow(kafka.clients(), name, listener, Duration.ofSeconds(30));
            resources.add(topic);
            Gauge.builder(gauge, topic, t -> t.following() ? 1 : 0)
                    .description("1 while this replica follows " + what + " " + name + ", else 0").register(metrics);
            return topic;
        } catch (TimeoutException e) {
            throw new IllegalStateException("the hub cannot read " + what + " " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Ingest: the contract, the hub's attributes, and the providers' enrichers (reverse geocoding) in turn; consent
     * events recorded.
     */
    private Ingest ingest(ProviderContext context, ConsentStore consent) {
        String instance = config.ingest().instanceId().orElse(ManagementFactory.getRuntimeMXBean().getName());
        List<Enricher> enrichers = config.providers().stream().flatMap(p -> p.enricher(context).stream()).toList();
        Enricher enricher = enrichers.isEmpty() ? Enricher.NONE : event -> enrichers.forEach(e -> e.enrich(event));
        return new Ingest(new CloudEventReader(mapper), config.contract(),
                new HubAttributes(instance, clock, new SecureRandom()), enricher, consent::record, mapper, metrics);
    }

    private Pauser pauser() {
        ScheduledExecutorService scheduler = scheduler("mphub-probe");
        HttpClient probeClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return new Pauser(camel, scheduler, probeClient, config.delivery().firstProbe(), config.delivery().maxProbe(),
                clock);
    }

    /**
     * Readiness and its inputs: Kafka watched every {@code mphub.health.check-interval-ms}, the partitions that cannot
     * get past a record (from Camel's exchange events), and the destinations' pauses.
     */
    private HubHealth health(Pauser pauser, KafkaMonitor monitor) {
        OpsSettings ops = config.ops();
        StuckPartitions stuck = new StuckPartitions(clock, metrics);
        camel.getManagementStrategy().addEventNotifier(stuck);
        StuckPartitions.failures().tags("route", "ingest", "error", "none").register(metrics);
        return new HubHealth(camel, monitor, stuck, pauser, List.of(new HubHealth.Consumer("ingest",
                config.ingest().groupId(), null)), ops.kafkaDownAfter(), ops.stuckAfter(), clock, mapper);
    }

    /**
     * Kafka watched every {@code mphub.health.check-interval-ms}: whether it answers, each consumer group's lag, and
     * the records in each dead-letter topic.
     */
    private KafkaMonitor monitor() {
        Duration interval = config.ops().checkInterval();
        KafkaMonitor monitor = new KafkaMonitor(kafka.admin(), kafka.bootstrapServers(), List.of(new KafkaMonitor.Group(
                config.ingest().groupId(), config.ingest().topics())), List.of(DeadLetters.INGEST_TOPIC), interval,
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
    private void listen(Registry registry, Map<String, Callback> callbacks, HubHealth health) {
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
