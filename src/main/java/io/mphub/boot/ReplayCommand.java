package io.mphub.boot;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.mphub.config.ConfigurationException;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.RouteFiles;
import io.mphub.config.Settings;
import io.mphub.deadletter.Replay;
import io.mphub.deadletter.ReplayRequest;
import io.mphub.event.IngestSettings;
import io.mphub.kafka.KafkaClients;
import io.mphub.kafka.KafkaSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * {@code java -jar mphub.jar replay (--destination NAME | --ingest) [--reason CODE] [--since TIME] [--until TIME]
 * [--dry-run]}: puts dead letters back where they came from ({@link Replay}), with the Kafka settings the hub uses
 * ({@link SettingsSources}). Prints what it put back and what it skipped. Exit codes: 0 done; 1 nothing matched a
 * filter that named something; 2 bad arguments or settings; 3 Kafka does not answer; 4 it stopped part-way (another
 * run of the request took over, or Kafka failed).
 */
final class ReplayCommand extends Command {

    static final String USAGE = "usage: java -jar mphub.jar replay (--destination NAME | --ingest) [--reason CODE]"
            + " [--since TIME] [--until TIME] [--dry-run]\n  TIME: 2026-11-29T08:00:00Z, 2026-11-29T16:00+08:00,"
            + " 2026-11-29 (UTC), or a while ago: 90m, 2h, 3d";

    ReplayCommand(Map<String, String> environment, PrintStream out, PrintStream err) {
        super("replay", environment, out, err);
    }

    @Override
    int run(String[] args) throws Exception {
        Optional<Map<String, String>> parsed = options(args, Set.of("--ingest", "--dry-run"),
                Set.of("--destination", "--reason", "--since", "--until"), USAGE);
        if (parsed.isEmpty()) {
            return 2;
        }
        Map<String, String> options = parsed.get();
        if (options.containsKey("--ingest") == options.containsKey("--destination")) {
            return usage("name one of --destination NAME and --ingest");
        }
        try (CamelContext camel = new DefaultCamelContext()) {
            Settings settings;
            try {
                settings = settings(camel);
            } catch (ConfigurationException e) {
                return refused(err, e.problems());
            }
            List<Problem> problems = new ArrayList<>();
            Settings.Reader read = settings.reader(problems);
            KafkaSettings kafka = KafkaSettings.read(read);
            IngestSettings ingest = IngestSettings.read(read);
            List<String> destinations = RouteFiles.scan(Path.of(read.get(RouteFiles.DIR))).destinationNames();
            if (!problems.isEmpty()) {
                return refused(err, problems);
            }
            String destination = options.get("--destination");
            if (destination != null && !destinations.contains(destination)) {
                return usage("no destination '" + destination + "'; the destinations are " + destinations);
            }
            ReplayRequest request;
            try {
                request = ReplayRequest.of(destination, ingest.topics(), options.get("--reason"), options.get("--since"),
                        options.get("--until"), options.containsKey("--dry-run"), Instant.now());
            } catch (IllegalArgumentException e) {
                return usage(e.getMessage());
            }
            Optional<KafkaClients> clients;
            try {
                clients = kafka(kafka);
            } catch (ConfigurationException e) {
                return refused(err, e.problems());
            }
            if (clients.isEmpty()) {
                return 3;
            }
            try {
                return report(request, new Replay(clients.get()).run(request));
            } catch (RuntimeException e) {
                err.println("mphub replay " + request.id() + " stopped part-way: " + e.getMessage() + "\n  what it put"
                        + " back stays; run the same command again to finish (each dead letter still goes back once)");
                return 4;
            }
        }
    }

    private int report(ReplayRequest request, Replay.Report report) {
        out.println("mphub replay " + report.id() + (report.dryRun() ? " (dry run: nothing sent)" : "") + ": "
                + request.topic() + " -> " + String.join(", ", request.targets()));
        if (report.since() != null || report.until() != null) {
            out.println("  dead letters written " + (report.since() == null ? "" : "from " + report.since() + " ")
                    + (report.until() == null ? "" : "until " + report.until()));
        }
        out.println("  " + (report.dryRun() ? "would put back: " : "put back: ") + report.replayedCount()
                + counts(report.replayed()));
        out.println("  skipped: " + report.skippedCount() + counts(report.skipped()));
        if (report.earlier() > 0) {
            out.println("  already read by an earlier run of this request: " + report.earlier()
                    + " (each dead letter is replayed once per request)");
        }
        if (request.filters() && report.replayedCount() == 0) {
            err.println("mphub replay: no dead letter in " + request.topic() + " matched"
                    + (report.earlier() > 0 ? " that an earlier run of this request had not already replayed" : ""));
            return 1;
        }
        return 0;
    }

    private static String counts(Map<String, Long> counts) {
        return counts.isEmpty() ? "" : counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ", " (", ")"));
    }

    private int usage(String problem) {
        return usage(problem, USAGE);
    }
}
