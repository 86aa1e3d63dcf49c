package io.mphub.boot;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.mphub.config.ConfigurationException;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.RouteFiles;
import io.mphub.config.Settings;
import io.mphub.kafka.KafkaSettings;
import io.mphub.ops.Demo;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * {@code java -jar mphub.jar check [--routes DIR]}: every check start-up makes, without starting Kafka, a route or the
 * HTTP port, fast enough for a pre-commit hook. The settings come from where the hub takes them
 * ({@link SettingsSources}); the route files and settings are checked as at start-up ({@link HubConfiguration#load}),
 * and Camel's own YAML DSL parses every route file into a context that is never started ({@link CamelRoutes#parse}).
 * Every problem is printed as start-up prints it, and the exit code is 2; with none, a summary and 0.
 */
final class Check extends Command {

    static final String USAGE = "usage: java -jar mphub.jar check [--routes DIR]";

    Check(Map<String, String> environment, PrintStream out, PrintStream err) {
        super("check", environment, out, err);
    }

    /** @return the exit code: 0 when nothing is wrong, 2 when something is (or the arguments are) */
    @Override
    int run(String[] args) throws Exception {
        Path routesDir = null;
        if (args.length == 2 && args[0].equals("--routes")) {
            routesDir = Path.of(args[1]);
        } else if (args.length != 0) {
            err.println(USAGE);
            return 2;
        }
        try (CamelContext camel = new DefaultCamelContext()) {
            Settings settings;
            try {
                settings = settings(camel);
            } catch (ConfigurationException e) {
                return refused(out, e.problems());
            }
            Path dir = routesDir != null ? routesDir : Path.of(settings.reader(new ArrayList<>()).get(RouteFiles.DIR));
            RouteFiles routes = RouteFiles.scan(dir);
            demo(settings, routes, camel.getPropertiesComponent());
            List<Problem> problems = new ArrayList<>();
            HubConfiguration config = null;
            try {
                config = HubConfiguration.load(settings, routes);
            } catch (ConfigurationException e) {
                problems.addAll(e.problems());
            }
            CamelRoutes.Parsed parsed = CamelRoutes.parse(camel, dir, routes::unreadable);
            problems.addAll(parsed.problems());
            if (!problems.isEmpty()) {
                return refused(out, problems);
            }
            summary(config, parsed.files().size());
            return 0;
        }
    }

    /**
     * When start-up would run the demo: the webhook destinations without a URL or a secret pointed at its sandbox
     * receivers, as the demo does, but as settings only (nothing listens), and said. The demo's own settings are
     * checked with every other (their problems are not this reader's).
     */
    private void demo(Settings settings, RouteFiles routes, PropertiesComponent properties) {
        Settings.Reader read = settings.reader(new ArrayList<>());
        List<String> destinations = routes.destinationNames();
        if (!Demo.runs(read, !read.isSet(KafkaSettings.BOOTSTRAP_SERVERS), destinations)) {
            return;
        }
        List<String> sandboxed = Demo.sandboxed(read, destinations);
        Demo.overrides(read, sandboxed, read.get(Demo.PORT)).forEach(properties::addOverrideProperty);
        out.println("demo mode (" + Demo.ENABLED.key() + "=" + read.get(Demo.ENABLED) + "): " + (sandboxed.isEmpty()
                ? "the demo would run" : String.join(", ", sandboxed) + " would use the demo's sandbox receivers"));
    }

    private void summary(HubConfiguration config, int routeFiles) {
        KafkaSettings kafka = config.kafka();
        out.println("mphub check: ok");
        out.println("  route files: " + routeFiles + " in " + config.routesDir());
        out.println("  destinations: " + config.destinations().values().stream()
                .map(d -> d.name() + " (" + d.kind() + (d.batch() == null ? "" : ", in batches") + ")").sorted().collect(Collectors.joining(", ")));
        out.println("  Kafka: " + kafka.bootstrapServers().map(servers -> "the cluster at " + servers)
                .orElse("embedded, on port " + kafka.embeddedPort() + " (data in " + kafka.embeddedDataDir() + ")"));
    }
}
