package io.mphub.boot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.config.AllowedHosts;
import io.mphub.config.ConfigurationException;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.RouteFiles;
import io.mphub.config.Settings;
import io.mphub.deliver.DeliverySettings;
import io.mphub.deliver.Destination;
import io.mphub.event.EventContract;
import io.mphub.event.IngestSettings;
import io.mphub.http.ExtraTrust;
import io.mphub.kafka.KafkaSettings;
import io.mphub.ops.ConsoleSettings;
import io.mphub.ops.Demo;
import io.mphub.ops.OpsSettings;
import io.mphub.privacy.PrivacySettings;
import io.mphub.provider.Provider;

/**
 * Everything start-up reads and checks before it starts Kafka or any route, in one pass: the route files, every
 * setting of every capability and provider. Every problem is collected, so one start-up names them all; any problem
 * stops it ({@link ConfigurationException}).
 *
 * @param files      the file that defines each destination, by destination name
 * @param providers  every provider, its settings read
 * @param kindOf     the provider of each destination's kind, by destination name
 */
public record HubConfiguration(Path routesDir, boolean reload, KafkaSettings kafka,
        IngestSettings ingest, EventContract contract, DeliverySettings.Defaults delivery,
        Map<String, Destination> destinations, Map<String, String> files, OpsSettings ops, ConsoleSettings console,
        PrivacySettings.Hub privacy, List<Provider.Configured> providers,
        Map<String, Provider.Configured> kindOf, Optional<ExtraTrust.Store> extraTrust) {

    /** @throws ConfigurationException naming every problem found */
    public static HubConfiguration load(Settings settings, RouteFiles routes) {
        List<Problem> problems = new ArrayList<>(routes.problems());
        Settings.Reader read = settings.reader(problems);
        Path routesDir = routes.dir();
        boolean reload = read.get(RouteFiles.RELOAD);
        problems.addAll(routes.problems(routes.destinations().stream().map(RouteFiles.Found::value)
                .collect(Collectors.toSet())));
        AllowedHosts allowed = AllowedHosts.read(read);
        Optional<ExtraTrust.Store> extraTrust = ExtraTrust.read(read);
        KafkaSettings kafka = KafkaSettings.read(read);
        IngestSettings ingest = IngestSettings.read(read);
        EventContract contract = null;
        try {
            contract = EventContract.load(ingest.schemasDir(), new ObjectMapper());
        } catch (ConfigurationException e) {
            problems.addAll(e.problems());
        }
        DeliverySettings.Defaults defaults = DeliverySettings.defaults(read);
        Map<String, Destination> destinations = DeliverySettings.destinations(read, routes, routes.destinations(),
                Providers.kinds(), allowed, defaults, contract == null ? Map.of() : contract.fields());
        PrivacySettings.Hub privacy = PrivacySettings.read(read);
        Provider.Setup setup = new Provider.Setup(allowed, routesDir, ingest.schemasDir());
        List<Provider.Configured> providers = new ArrayList<>();
        Map<String, Provider.Configured> kindOf = new LinkedHashMap<>();
        for (Provider provider : Providers.ALL) {
            List<Destination> its = destinations.values().stream()
                    .filter(d -> provider.kinds().stream().anyMatch(k -> k.name().equals(d.kind()))).toList();
            Provider.Configured configured = provider.configure(read, its, setup);
            providers.add(configured);
            its.forEach(d -> kindOf.put(d.name(), configured));
        }
        OpsSettings ops = OpsSettings.read(read);
        ConsoleSettings console = ConsoleSettings.read(read);
        Demo.ALL.forEach(read::get);
        CamelSettings.check(read);
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return new HubConfiguration(routesDir, reload, kafka, ingest, contract, defaults,
                Map.copyOf(destinations), routes.destinations().stream().collect(Collectors.toMap(RouteFiles.Found::value,
                        RouteFiles.Found::file, (a, b) -> a)), ops, console, privacy, List.copyOf(providers),
                Map.copyOf(kindOf), extraTrust);
    }
}
