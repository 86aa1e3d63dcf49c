package io.mphub.boot;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import io.mphub.config.ConfigurationException;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.RouteFiles;
import io.mphub.config.Settings;
import io.mphub.deadletter.DeadLetters;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Stopping;
import io.mphub.event.Results;
import io.mphub.http.ExtraTrust;
import io.mphub.kafka.EmbeddedKafka;
import io.mphub.kafka.KafkaClients;
import io.mphub.kafka.KafkaSecurity;
import io.mphub.kafka.KafkaSettings;
import io.mphub.kafka.SessionBounds;
import io.mphub.kafka.RecordLimits;
import io.mphub.kafka.Topics;
import io.mphub.privacy.Audit;
import io.mphub.privacy.ConsentStore;
import io.mphub.ops.Demo;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's start, in order, each step one method below:
 * <ol>
 * <li>{@link HubConfiguration#load}: read and check the route files and every setting (any problem stops here, exit
 * code 2); the demo's sandbox receivers, when the demo runs, come first, as settings ({@link #demo});</li>
 * <li>{@link #kafka}: the embedded broker unless a cluster is configured, then the hub's topics and their limits;</li>
 * <li>{@link Wiring}: the beans the routes call, the HTTP port, health and metrics;</li>
 * <li>{@link #routes}: Camel pointed at the operators' route files, with live reload.</li>
 * </ol>
 * Stop releases it all in reverse.
 */
final class HubStart extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(HubStart.class);

    /** The Kafka the hub runs against: its address, its clients' settings, an admin client, its topics' limits. */
    record Kafka(String bootstrapServers, KafkaClients clients, Admin admin, RecordLimits limits) {
    }

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Clock clock;
    private final Stopping stopping = new Stopping();
    private volatile ConfigurationException configurationProblem;

    HubStart() {
        this(Clock.systemUTC());
    }

    /** With another clock: tests stand just before a quota window resets without waiting for it. */
    HubStart(Clock clock) {
        this.clock = clock;
    }

    ConfigurationException configurationProblem() {
        return configurationProblem;
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext camel = main.getCamelContext();
        try {
            stopWith(camel);
            Settings settings = SettingsSources.settings(camel);
            RouteFiles routes = RouteFiles.scan(Path.of(settings.reader(new ArrayList<>()).get(RouteFiles.DIR)));
            Demo demo = demo(settings, routes, camel);
            HubConfiguration config = HubConfiguration.load(settings, routes);
            config.extraTrust().ifPresent(ExtraTrust::install);
            Kafka kafka = kafka(config, camel, settings.reader(new ArrayList<>()).get(CamelSettings.SESSION_TIMEOUT));
            if (demo != null) {
                demo.publish(kafka.clients());
            }
            LiveDestinations live = new Wiring(camel, config, kafka, clock, stopping, resources).wire();
            routes(main, camel, config, live);
            LOG.info("mphub ready to start: {} destinations {}, Kafka at {}{}", config.destinations().size(),
                    config.destinations().keySet().stream().sorted().toList(), kafka.bootstrapServers(),
                    demo != null ? ", demo mode" : "");
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

    /**
     * The demo, when it runs ({@code mphub.demo.enabled}): its sandbox receivers started, and each webhook destination
     * without a URL or a secret pointed at one, as settings, before the settings are read.
     */
    private Demo demo(Settings settings, RouteFiles routes, CamelContext camel) throws Exception {
        List<Problem> problems = new ArrayList<>();
        Settings.Reader read = settings.reader(problems);
        List<String> destinations = routes.destinationNames();
        if (!Demo.runs(read, !read.isSet(KafkaSettings.BOOTSTRAP_SERVERS), destinations)) {
            return null; // its settings are checked with every other (HubConfiguration.load)
        }
        Demo.ALL.forEach(read::get);
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        Demo demo = Demo.start(read, destinations);
        resources.add(demo);
        demo.overrides().forEach(camel.getPropertiesComponent()::addOverrideProperty);
        return demo;
    }

    /**
     * Step 2: the broker (the embedded one, or the cluster's address), the hub's topics, their record limits, and its
     * consumers' session timeout within what the brokers accept.
     */
    private Kafka kafka(HubConfiguration config, CamelContext camel, int sessionTimeout) throws Exception {
        KafkaSettings k = config.kafka();
        String bootstrap;
        if (k.bootstrapServers().isEmpty()) {
            EmbeddedKafka broker = EmbeddedKafka.start(k.embeddedDataDir(), k.embeddedPort(),
                    k.embeddedControllerPort(), k.partitions());
            resources.add(broker);
            bootstrap = broker.bootstrapServers();
        } else {
            bootstrap = k.bootstrapServers().get();
            LOG.info("Using Kafka cluster at {}", bootstrap);
        }
        Set<String> written = new LinkedHashSet<>(List.of(DeadLetters.INGEST_TOPIC, Results.TOPIC));
        for (Destination d : config.destinations().values()) {
            written.add(d.outboxTopic());
            written.add(d.deadLetterTopic());
        }
        KafkaClients clients = k.clients(bootstrap);
        Admin admin = Admin.create(clients.admin());
        resources.add(() -> admin.close(Duration.ofSeconds(2)));
        RecordLimits limits = topics(k, admin, config.ingest().topics(), written);
        fitSessionTimeout(admin, camel, sessionTimeout);
        Topics.ensureControl(admin, k.replicationFactor());
        Topics.ensureJobs(admin, k.replicationFactor());
        Topics.ensureCallbacks(admin, k.replicationFactor());
        Topics.ensureCompacted(admin, ConsentStore.TOPIC, k.replicationFactor());
        Topics.ensureRetained(admin, Audit.TOPIC, k.partitions(), k.replicationFactor(),
                Duration.ofDays(config.privacy().auditRetentionDays()));
        KafkaConfiguration routes = camel.getComponent("kafka", KafkaComponent.class).getConfiguration();
        routes.setBrokers(bootstrap);
        // TLS and SASL: the same client properties as the hub's own clients (camel-kafka applies these last).
        routes.getAdditionalProperties().putAll(k.security().clientProperties());
        // A replay's records count only once its transaction commits: see KafkaClients.READ_COMMITTED.
        routes.setIsolationLevel(KafkaClients.READ_COMMITTED);
        return new Kafka(bootstrap, clients, admin, limits);
    }

    /**
     * A consumer whose session timeout the brokers do not accept is refused from its group at every try, so the hub
     * takes the nearest one they accept and says what that costs.
     */
    private static void fitSessionTimeout(Admin admin, CamelContext camel, int asked) throws InterruptedException {
        SessionBounds.of(admin).filter(b -> b.fit(asked) != asked).ifPresent(bounds -> {
            int used = bounds.fit(asked);
            LOG.warn("{}={} is outside what the brokers accept ({}={}, {}={}): the hub's consumers use {} ms, so a"
                    + " crashed replica's partitions move to the others after about {} s; to keep {} ms, change the"
                    + " brokers' setting", CamelSettings.SESSION_TIMEOUT.key(), asked, SessionBounds.MIN, bounds.min(),
                    SessionBounds.MAX, bounds.max(), used, (used + 999) / 1000 + 1, asked);
            camel.getPropertiesComponent().addOverrideProperty(CamelSettings.SESSION_TIMEOUT.key(),
                    String.valueOf(used));
        });
    }

    /** Creates the missing topics; a cluster that cannot hold them as configured is a configuration problem. */
    private static RecordLimits topics(KafkaSettings k, Admin admin, List<String> inputs, Set<String> written)
            throws InterruptedException, ExecutionException {
        try {
            return Topics.ensure(admin, inputs, written, k.partitions(), k.replicationFactor(), k.maxRecordBytes());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException refused) {
                throw new ConfigurationException(List.of(KafkaSecurity.refused(refused)));
            }
            if (e.getCause() instanceof InvalidReplicationFactorException || e.getCause() instanceof PolicyViolationException
                    || e.getCause() instanceof InvalidPartitionsException) {
                throw new ConfigurationException(List.of(Problem.setting(KafkaSettings.REPLICATION_FACTOR.key(),
                        "the cluster refused to create the hub's topics: " + e.getCause().getMessage(),
                        "set " + KafkaSettings.REPLICATION_FACTOR.envName() + " to at most the number of brokers (and "
                                + KafkaSettings.PARTITIONS.envName() + " to what the cluster allows), or create the"
                                + " topics yourself: " + Stream.concat(inputs.stream(), written.stream()).distinct()
                                .sorted().toList())));
            }
            throw e;
        }
    }

    /**
     * Step 4: the operators' route files, with live reload (what the batch template reads of each destination's
     * settings, {@code {{mphub.destinations.<name>.batch.*}}}, is set by {@link LiveDestinations#attach}).
     */
    private void routes(BaseMainSupport main, CamelContext camel, HubConfiguration config, LiveDestinations live)
            throws Exception {
        if (config.reload()) {
            camel.addService(new RouteReload(config.routesDir(), live));
        }
        main.configure().withRoutesIncludePattern(String.join(",", CamelRoutes.patterns(config.routesDir())));
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
