package io.mphub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mphub.callback.Callbacks;
import io.mphub.callback.HttpListener;
import io.mphub.config.ConfigurationException;
import io.mphub.config.HubConfig;
import io.mphub.config.RouteFiles;
import io.mphub.config.Settings;
import io.mphub.deadletter.DeadLetters;
import io.mphub.deliver.Delivery;
import io.mphub.deliver.Destination;
import io.mphub.deliver.DestinationHealth;
import io.mphub.deliver.Pauser;
import io.mphub.deliver.Stopping;
import io.mphub.enrich.HubAttributes;
import io.mphub.event.CloudEventReader;
import io.mphub.event.EventContract;
import io.mphub.event.Ingest;
import io.mphub.event.Results;
import io.mphub.kafka.CommitAfterFlush;
import io.mphub.kafka.EmbeddedKafka;
import io.mphub.kafka.KafkaClients;
import io.mphub.kafka.Outbox;
import io.mphub.kafka.RecordLimits;
import io.mphub.kafka.Rewind;
import io.mphub.kafka.Topics;
import io.mphub.ops.Demo;
import io.mphub.ops.Health;
import io.mphub.ops.HubHealth;
import io.mphub.ops.KafkaMonitor;
import io.mphub.ops.StuckPartitions;
import io.mphub.privacy.DataContract;
import io.mphub.provider.DestinationKind;
import io.mphub.provider.Endpoints;
import io.mphub.provider.Geocoding;
import io.mphub.provider.Kinds;
import io.mphub.provider.ProviderContext;
import io.mphub.provider.TencentMapSettings;
import io.mphub.provider.wechat.AccessTokens;
import io.mphub.provider.wechat.WeChatApps;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up, in order: read and check the configuration (route files and properties; any problem stops here),
 * start the embedded broker unless a cluster is configured, create missing topics, build the beans the routes
 * call, and point Camel at the operators' route files. Stop releases it all in reverse.
 */
final class HubBootstrap extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(HubBootstrap.class);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Clock clock;
    private final Stopping stopping = new Stopping();
    private volatile ConfigurationException configurationProblem;

    HubBootstrap() {
        this(Clock.systemUTC());
    }

    /** With another clock: tests stand just before a quota window resets without waiting for it. */
    HubBootstrap(Clock clock) {
        this.clock = clock;
    }

    ConfigurationException configurationProblem() {
        return configurationProblem;
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext camel = main.getCamelContext();
        try {
            start(main, camel);
        } catch (ConfigurationException e) {
            configurationProblem = e;
            close();
            throw e;
        } catch (RuntimeException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new IllegalStateException("mphub failed to start: " + e.getMessage(), e);
        }
    }

    private void start(BaseMainSupport main, CamelContext camel) throws Exception {
        stopWith(camel);
        Settings settings = new Settings(camel.getPropertiesComponent()::resolveProperty);
        Path routesDir = Path.of(settings.get("mphub.routes.dir", "routes"));
        RouteFiles routes = RouteFiles.scan(routesDir);
        boolean demo = demoMode(settings, routes, settings.get("kafka.bootstrap-servers").isEmpty());
        HubConfig config = HubConfig.load(settings, routes, demo);
        ObjectMapper mapper = new ObjectMapper();
        EventContract contract = loadContract(settings, mapper);

        String bootstrap = settings.get("kafka.bootstrap-servers").orElse(null);
        if (bootstrap == null) {
            EmbeddedKafka broker = EmbeddedKafka.start(Path.of(settings.get("mphub.kafka.embedded.data-dir", "data/kafka")),
                    settings.getInt("mphub.kafka.embedded.port", 9092),
                    settings.getInt("mphub.kafka.embedded.controller-port", 9093),
                    settings.getInt("mphub.kafka.partitions", 8));
            resources.add(broker);
            bootstrap = broker.bootstrapServers();
        } else {
            LOG.info("Using Kafka cluster at {}", bootstrap);
        }
        Set<String> topics = new LinkedHashSet<>(List.of(settings.get("mphub.ingest.topics", "").split(",")));
        topics.add(DeadLetters.INGEST_TOPIC);
        topics.add(Results.TOPIC);
        for (Destination d : config.destinations().values()) {
            topics.add(d.outboxTopic());
            topics.add(d.deadLetterTopic());
        }
        topics.removeIf(String::isBlank);
        KafkaClients clients = new KafkaClients(bootstrap, config.compression(), config.maxRecordBytes());
        Admin admin = Admin.create(clients.admin());
        resources.add(() -> admin.close(Duration.ofSeconds(2)));
        RecordLimits limits = ensureTopics(settings, admin, topics, config.maxRecordBytes());
        camel.getComponent("kafka", KafkaComponent.class).getConfiguration().setBrokers(bootstrap);

        Map<String, Destination> destinations = config.destinations();
        if (demo) {
            Demo demoRun = Demo.start(settings, bootstrap, destinations.values());
            resources.add(demoRun);
            destinations = demoRun.destinations();
        }
        bind(camel, settings, clients, admin, limits, contract, mapper, destinations, config.geocoding());
        // The throttle in the delivery template reads each destination's rate, its default filled in, as a constant.
        destinations.values().forEach(d -> camel.getPropertiesComponent()
                .addOverrideProperty("mphub.destinations." + d.name() + ".rate", String.valueOf((long) d.rate())));
        if (settings.getBoolean("mphub.routes.reload-enabled", true)) {
            camel.addService(new RouteReload(routesDir, destinations.keySet()));
        }
        main.configure().withRoutesIncludePattern(String.join(",",
                "file:" + routesDir + "/*.camel.yaml",
                "file:" + routesDir + "/templates/*.camel.yaml",
                "file:" + routesDir + "/" + RouteFiles.DESTINATIONS_DIR + "/*.camel.yaml"));
        LOG.info("mphub ready to start: {} destinations {}, Kafka at {}{}", destinations.size(),
                destinations.keySet().stream().sorted().toList(), bootstrap, demo ? ", demo mode" : "");
    }

    private void bind(CamelContext camel, Settings settings, KafkaClients clients, Admin admin, RecordLimits limits,
            EventContract contract, ObjectMapper mapper, Map<String, Destination> destinations,
            Optional<TencentMapSettings> geocoding) {
        Registry registry = camel.getRegistry();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        resources.add(metrics::close);
        Outbox outbox = Outbox.connect(clients, limits, destinations.keySet());
        resources.add(outbox);
        String instance = settings.get("mphub.instance-id").orElse(ManagementFactory.getRuntimeMXBean().getName());
        registry.bind("ingest", new Ingest(new CloudEventReader(mapper), contract,
                new HubAttributes(instance, clock, new SecureRandom()), Geocoding.enricher(geocoding, clock, mapper, metrics),
                mapper, metrics));
        registry.bind("outbox", outbox);
        FunctionCounter.builder("mphub.ingest.unrouted", outbox, Outbox::unrouted)
                .description("accepted events the fan-out table sends nowhere").register(metrics);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
        registry.bind("offsets", new CommitAfterFlush(outbox));
        registry.bind("deadLetters", new DeadLetters(outbox, clock, metrics, destinations.keySet()));
        registry.bind("rewind", new Rewind());

        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mphub-probe");
            t.setDaemon(true);
            return t;
        });
        resources.add(scheduler::shutdownNow);
        HttpClient probeClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Pauser pauser = new Pauser(camel, scheduler, probeClient,
                Duration.ofMillis(settings.getLong("mphub.delivery.probe.initial-delay-ms", 1000)),
                Duration.ofMillis(settings.getLong("mphub.delivery.probe.max-delay-ms", 10_000)), clock);
        // One token per mini program for the whole hub; routes/jobs.camel.yaml renews them ahead of expiry.
        AccessTokens wechatTokens = WeChatApps.tokens(settings, clock, mapper, metrics);
        registry.bind("wechatTokens", wechatTokens);
        ProviderContext providers = new ProviderContext(settings, clock, mapper, new Results(outbox, mapper, clock),
                metrics, wechatTokens);
        Map<String, Delivery.Target> targets = new HashMap<>();
        for (Destination d : destinations.values()) {
            HttpClient http = Endpoints.client(d.url(), d.timeout());
            DestinationKind kind = Kinds.named(d.kind()).orElseThrow().factory().create(d, providers);
            targets.put(d.name(), new Delivery.Target(d, kind, http, new DestinationHealth()));
        }
        registry.bind("delivery", new Delivery(Map.copyOf(targets), new DataContract(mapper), pauser, stopping,
                new SecureRandom(),
                Duration.ofMillis(settings.getLong("mphub.delivery.max-retry-after-ms", 60_000)), metrics, clock));
        Health health = health(camel, settings, clients, admin, pauser, destinations.values(), metrics, mapper);
        try {
            HttpListener listener = HttpListener.start(settings.get("mphub.http.host", "0.0.0.0"),
                    settings.getInt("mphub.http.port", 8088), metrics, health, Callbacks.configured(providers));
            resources.add(listener);
            registry.bind("httpListener", listener);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException(List.of(ConfigurationException.Problem.setting("mphub.http.port",
                    "the hub cannot listen on port " + settings.getInt("mphub.http.port", 8088) + ": " + e.getMessage(),
                    "choose a free port, or 0 for any")));
        }
    }

    /**
     * Readiness and its inputs: Kafka watched every {@code mphub.health.check-interval-ms}, the partitions that cannot
     * get past a record (from Camel's exchange events), and the destinations' pauses.
     */
    private Health health(CamelContext camel, Settings settings, KafkaClients clients, Admin admin, Pauser pauser,
            Collection<Destination> destinations, MeterRegistry metrics, ObjectMapper mapper) {
        StuckPartitions stuck = new StuckPartitions(clock, metrics);
        camel.getManagementStrategy().addEventNotifier(stuck);
        String ingestGroup = settings.get("mphub.ingest.group-id", "mphub.ingest");
        List<String> ingestTopics = Arrays.stream(settings.get("mphub.ingest.topics", "").split(","))
                .map(String::trim).filter(t -> !t.isEmpty()).toList();
        List<KafkaMonitor.Group> groups = new ArrayList<>(List.of(new KafkaMonitor.Group(ingestGroup, ingestTopics)));
        List<HubHealth.Consumer> consumers = new ArrayList<>(List.of(new HubHealth.Consumer("ingest", ingestGroup, null)));
        for (Destination d : destinations) {
            groups.add(new KafkaMonitor.Group(d.consumerGroup(), List.of(d.outboxTopic())));
            consumers.add(new HubHealth.Consumer(d.routeId(), d.consumerGroup(), d.name()));
            Gauge.builder("mphub.destination.paused", pauser, p -> p.isPaused(d.name()) ? 1 : 0)
                    .description("1 while the destination is paused (its endpoint is down, or a provider's window holds"
                            + " it), else 0").tag("destination", d.name()).register(metrics);
        }
        consumers.forEach(c -> StuckPartitions.failures().tags("route", c.route(), "error", "none").register(metrics));
        Duration interval = Duration.ofMillis(settings.getLong("mphub.health.check-interval-ms", 5000));
        KafkaMonitor monitor = new KafkaMonitor(admin, clients.bootstrapServers(), groups, interval, clock, metrics);
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mphub-kafka-monitor");
            t.setDaemon(true);
            return t;
        });
        resources.add(watch::shutdownNow);
        watch.scheduleWithFixedDelay(monitor, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return new HubHealth(camel, monitor, stuck, pauser, consumers,
                Duration.ofMillis(settings.getLong("mphub.health.kafka-down-after-ms", 15_000)),
                Duration.ofMillis(settings.getLong("mphub.health.stuck-after-ms", 30_000)), clock, mapper);
    }

    /** Creates the missing topics; a cluster that cannot hold them as configured is a configuration problem. */
    private static RecordLimits ensureTopics(Settings settings, Admin admin, Set<String> topics, int maxRecordBytes)
            throws InterruptedException, ExecutionException {
        short replication = (short) settings.getInt("mphub.kafka.replication-factor", 1);
        try {
            return Topics.ensure(admin, topics, settings.getInt("mphub.kafka.partitions", 8), replication,
                    maxRecordBytes);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidReplicationFactorException || e.getCause() instanceof PolicyViolationException
                    || e.getCause() instanceof InvalidPartitionsException) {
                throw new ConfigurationException(List.of(ConfigurationException.Problem.setting(
                        "mphub.kafka.replication-factor", "the cluster refused to create the hub's topics: "
                                + e.getCause().getMessage(), "set MPHUB_KAFKA_REPLICATION_FACTOR to at most the number"
                                + " of brokers (and MPHUB_KAFKA_PARTITIONS to what the cluster allows), or create the"
                                + " topics yourself: " + topics.stream().sorted().toList())));
            }
            throw e;
        }
    }

    /** auto: the demo runs on the embedded broker when no destination has a URL, never on a real cluster. */
    private static boolean demoMode(Settings settings, RouteFiles routes, boolean embeddedBroker) {
        String mode = settings.get("mphub.demo.enabled", "auto");
        if (!mode.equals("auto")) {
            return settings.getBoolean("mphub.demo.enabled", false);
        }
        // A destination given a URL or a provider kind is meant for real: no demo then.
        return embeddedBroker && routes.destinations().stream()
                .noneMatch(d -> settings.get("mphub.destinations." + d.value() + ".url").isPresent()
                        || !settings.get("mphub.destinations." + d.value() + ".kind", "webhook").equals("webhook"));
    }

    private static EventContract loadContract(Settings settings, ObjectMapper mapper) throws IOException {
        Path dir = Path.of(settings.get("mphub.schemas.dir", "schemas"));
        if (!Files.isDirectory(dir)) {
            throw new ConfigurationException(List.of(new ConfigurationException.Problem(dir.toString(),
                    "the schemas directory does not exist",
                    "run mphub from its folder, or set mphub.schemas.dir (MPHUB_SCHEMAS_DIR)")));
        }
        Set<String> names = new LinkedHashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .filter(n -> !n.equals("cloudevent")).forEach(names::add);
        }
        return EventContract.load(mapper, names, name -> {
            try {
                return Files.newInputStream(dir.resolve(name + ".json"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void afterStart(BaseMainSupport main) {
        LOG.info("mphub started: {} routes running", main.getCamelContext().getRoutesSize());
    }

    /**
     * Ties the hub's own resources to the Camel context: backoff waits end when it starts stopping, and the
     * producer and embedded broker close once its routes have stopped. Camel's SIGTERM hook waits for the
     * context to stop, not for the main thread, so this is what makes a SIGTERM stop complete.
     */
    private void stopWith(CamelContext camel) {
        camel.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext context) {
                LOG.info("mphub stopping: no new records are taken; what is in flight finishes (at most {} s), and a"
                        + " delivery waiting to retry is left for the next start", context.getShutdownStrategy()
                        .getTimeout());
                stopping.stop();
            }

            @Override
            public void onContextStopped(CamelContext context) {
                close();
                // The old generation's peak bounds what the hub kept alive (pool peaks happen at different
                // moments, so adding up the pools would overstate the heap's peak).
                long oldPeak = ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(pool -> pool.getType() == MemoryType.HEAP && pool.getName().contains("Old"))
                        .mapToLong(pool -> pool.getPeakUsage().getUsed()).max().orElse(-1);
                LOG.info("mphub stopped; peak old-generation heap {} MB (max heap {} MB)", oldPeak / (1024 * 1024),
                        Runtime.getRuntime().maxMemory() / (1024 * 1024));
            }
        });
    }

    void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("while stopping: {}", e.getMessage());
            }
        }
        resources.clear();
    }
}
