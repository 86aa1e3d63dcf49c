package io.mphub.boot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.config.AllowedHosts;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.RouteFiles;
import io.mphub.config.Settings;
import io.mphub.deadletter.DeadLetters;
import io.mphub.deliver.BatchDelivery;
import io.mphub.deliver.Delivery;
import io.mphub.deliver.DeliverySettings;
import io.mphub.deliver.Destination;
import io.mphub.deliver.DestinationHealth;
import io.mphub.deliver.Pauser;
import io.mphub.kafka.Outbox;
import io.mphub.kafka.RecordLimits;
import io.mphub.kafka.Topics;
import io.mphub.ops.HubHealth;
import io.mphub.ops.KafkaMonitor;
import io.mphub.ops.OperatorActions;
import io.mphub.ops.Overview;
import io.mphub.ops.StuckPartitions;
import io.mphub.provider.Endpoints;
import io.mphub.provider.Provider;
import io.mphub.provider.ProviderContext;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The destinations that run, and everything each one has: its outbox topic in the fan-out, its delivery target, its
 * dead-letter counts, its lag and pause in health and metrics, its row on the console, its hand pause. Start-up
 * {@link #attach}es each configured destination; while the hub runs, a file dropped into routes/destinations/ is
 * {@link #start}ed once it passes the start-up checks, and a file removed is {@link #stop}ped, unless the fan-out table
 * still sends to it ({@link RouteReload} calls both).
 */
final class LiveDestinations {

    private static final Logger LOG = LoggerFactory.getLogger(LiveDestinations.class);

    /** What each destination is attached to. */
    record Parts(Outbox outbox, DeadLetters deadLetters, Delivery delivery, BatchDelivery batchDelivery, Pauser pauser,
            KafkaMonitor monitor,
            HubHealth health, Overview overview, OperatorActions actions, ProviderContext context,
            MeterRegistry metrics) {
    }

    private final CamelContext camel;
    private final HubConfiguration config;
    private final HubStart.Kafka kafka;
    private final Parts parts;
    /** The running destinations, by the file that defines each. */
    private final Map<String, String> byFile = new ConcurrentHashMap<>();

    LiveDestinations(CamelContext camel, HubConfiguration config, HubStart.Kafka kafka, Parts parts) {
        this.camel = camel;
        this.config = config;
        this.kafka = kafka;
        this.parts = parts;
    }

    /** The running destinations' names, now (the fan-out table is checked against them). */
    Set<String> running() {
        return new HashSet<>(byFile.values());
    }

    /** The destination a file defines, when it runs. */
    Optional<String> definedBy(String file) {
        return Optional.ofNullable(byFile.get(normal(file)));
    }

    /**
     * Everything a destination has, before its route starts.
     *
     * @param limits the limits of its topics, when they were not read with the others at start-up
     */
    void attach(Destination d, Provider.Configured provider, String file, RecordLimits limits) {
        String name = d.name();
        parts.outbox().add(name, limits);
        parts.deadLetters().track(name);
        if (d.batch() == null) {
            parts.delivery().add(new Delivery.Target(d, provider.kind(d, parts.context()),
                    Endpoints.client(d.timeout(), d.inFlight()), new DestinationHealth()));
        } else {
            // routes/templates/deliver-batch.camel.yaml reads these two (the rate is BatchDelivery's). The rate is still
            // set for a template copied before 2026-11-30, whose throttle reads it: docs/operations.md, "Upgrading".
            camel.getPropertiesComponent().addOverrideProperty("mphub.destinations." + name + ".rate",
                    String.valueOf(d.rate() > 0 ? (long) d.rate() : DeliverySettings.MAX_RATE));
            camel.getPropertiesComponent().addOverrideProperty("mphub.destinations." + name + ".batch.max-events",
                    String.valueOf(d.batch().maxEvents()));
            camel.getPropertiesComponent().addOverrideProperty("mphub.destinations." + name + ".batch.max-wait-ms",
                    String.valueOf(d.batch().maxWait().toMillis()));
            parts.batchDelivery().add(new BatchDelivery.Target(d, provider.batchKind(d, parts.context()),
                    Endpoints.client(d.timeout(), d.inFlight()), new DestinationHealth()));
        }
        Gauge.builder("mphub.destination.paused", parts.pauser(), p -> p.isPaused(name) ? 1 : 0)
                .description("1 while the destination is paused (its endpoint is down, a provider's window holds it, or"
                        + " an operator paused it), else 0").tag("destination", name).register(parts.metrics());
        StuckPartitions.failures().tags("route", d.routeId(), "error", "none").register(parts.metrics());
        parts.monitor().watch(new KafkaMonitor.Group(d.consumerGroup(), List.of(d.outboxTopic())),
                List.of(d.deadLetterTopic()));
        parts.health().add(new HubHealth.Consumer(d.routeId(), d.consumerGroup(), name));
        parts.overview().add(new Overview.Target(name, d.kind()));
        parts.actions().add(name);
        byFile.put(normal(file), name);
    }

    /**
     * A destination file dropped in while the hub runs: checked as start-up checks it (the file, the destination's
     * settings, its provider's), then its topics created and everything attached. The caller then loads its route.
     *
     * @return the problems; none when it was attached
     */
    List<Problem> start(String file) throws Exception {
        RouteFiles routes = RouteFiles.scan(config.routesDir());
        Optional<RouteFiles.Found> found = routes.destinations().stream()
                .filter(f -> normal(f.file()).equals(normal(file))).findFirst();
        List<Problem> problems = new ArrayList<>(mine(routes.problems(), file));
        Set<String> after = running();
        found.ifPresent(f -> after.add(f.value()));
        problems.addAll(mine(routes.problems(after), file));
        if (found.isEmpty() || !problems.isEmpty()) {
            if (found.isEmpty() && problems.isEmpty()) {
                problems.add(new Problem(file, "it defines no destination", "write it like the other files in"
                        + " routes/destinations/: a templatedRoute of template deliver with parameter destination"));
            }
            return problems;
        }
        if (byFile.containsValue(found.get().value())) {
            return List.of(new Problem(found.get().where(), "destination '" + found.get().value()
                    + "' is defined twice", "remove one of the files defining it"));
        }
        // Settings added to the secrets file or config/application.properties since start-up count (the environment
        // of a running process cannot change).
        reloadPropertiesFiles();
        Settings.Reader read = SettingsSources.settings(camel).reader(problems);
        AllowedHosts allowed = AllowedHosts.read(read);
        Map<String, Destination> made = DeliverySettings.destinations(read, routes, List.of(found.get()), Providers.kinds(),
                allowed, config.delivery(), config.contract().fields());
        Destination d = made.get(found.get().value());
        Provider.Configured provider = null;
        if (d != null) {
            Provider.Setup setup = new Provider.Setup(allowed, config.routesDir(), config.ingest().schemasDir());
            Provider owner = Providers.ALL.stream().filter(p -> p.kinds().stream()
                    .anyMatch(k -> k.name().equals(d.kind()))).findFirst().orElseThrow();
            // Configured for this destination alone: what a provider reads per destination (a webhook's secret) is
            // there. What its kinds share across destinations is its own then (WeChat's access tokens, fetched from
            // the stable-token API, which hands every caller the same token).
            provider = owner.configure(read, List.of(d), setup);
        }
        if (!problems.isEmpty() || d == null) {
            return problems;
        }
        RecordLimits limits = Topics.ensure(kafka.admin(), List.of(), List.of(d.outboxTopic(), d.deadLetterTopic()),
                config.kafka().partitions(), config.kafka().replicationFactor(), config.kafka().maxRecordBytes());
        attach(d, provider, found.get().file(), limits);
        LOG.info("destination {} ({}) starts: {} was added", d.name(), d.kind(), file);
        return List.of();
    }

    /**
     * Stops each destination whose file was removed while the fan-out table still sent to it, now that it does not:
     * called after every edit applied.
     */
    void stopRemoved() throws Exception {
        for (String file : List.copyOf(byFile.keySet())) {
            if (!Files.exists(Path.of(file))) {
                stop(file); // still sent to: it keeps running, as said when its file was removed
            }
        }
    }

    /** After Camel loaded a destination's route: a hand pause of it holds its consumer from the start. */
    void loaded() {
        parts.pauser().suspendPaused();
    }

    /**
     * A destination file removed while the hub runs: its route stops and everything it had is let go, unless the
     * fan-out table still sends to it (then it keeps running, and the problem is returned). Its topics stay.
     */
    List<Problem> stop(String file) throws Exception {
        String name = byFile.get(normal(file));
        if (name == null) {
            return List.of();
        }
        Set<String> after = running();
        after.remove(name);
        List<Problem> problems = RouteFiles.scan(config.routesDir()).problems(after).stream()
                .filter(p -> p.what().contains("unknown destination '" + name + "'"))
                .map(p -> new Problem(p.where(), "the fan-out table still sends to '" + name + "', whose file " + file
                        + " was removed: " + name + " keeps running", "remove '" + name + "' from the fan-out table"
                        + " first, then the file; or put the file back"))
                .toList();
        if (!problems.isEmpty()) {
            return problems;
        }
        String route = Destination.routeId(name);
        parts.outbox().remove(name);
        camel.getRouteController().stopRoute(route);
        camel.removeRoute(route);
        parts.delivery().remove(name);
        parts.batchDelivery().remove(name);
        parts.monitor().unwatch(Destination.consumerGroup(name), List.of(Destination.deadLetterTopic(name)));
        parts.health().remove(route);
        parts.overview().remove(name);
        parts.actions().remove(name);
        parts.pauser().forget(name);
        // Its series go too: a destination that is gone has no lag, no pause, no rate.
        parts.metrics().getMeters().stream().filter(m -> name.equals(m.getId().getTag("destination"))
                || route.equals(m.getId().getTag("route"))
                || Destination.consumerGroup(name).equals(m.getId().getTag("group"))
                || Destination.deadLetterTopic(name).equals(m.getId().getTag("topic")))
                .toList().forEach(parts.metrics()::remove);
        byFile.remove(normal(file));
        LOG.info("destination {} stopped: {} was removed (its topics {} and {} stay)", name, file,
                Destination.outboxTopic(name), Destination.deadLetterTopic(name));
        return List.of();
    }

    /** Reads the properties files that exist again (Camel keeps what it read at start-up). */
    private void reloadPropertiesFiles() {
        for (String location : camel.getPropertiesComponent().getLocations()) {
            String plain = location.split(";")[0];
            if (plain.startsWith("file:") && Files.isReadable(Path.of(plain.substring("file:".length())))) {
                camel.getPropertiesComponent().reloadProperties(plain);
            }
        }
    }

    private static List<Problem> mine(List<Problem> problems, String file) {
        String f = normal(file);
        return problems.stream().filter(p -> normal(p.where()).startsWith(f)).toList();
    }

    /** A route file's path as both live reload and this class name it: absolute and normalized. */
    static String normal(String file) {
        return Path.of(file).toAbsolutePath().normalize().toString();
    }
}
