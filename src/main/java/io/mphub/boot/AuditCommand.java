package io.mphub.boot;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.mphub.config.ConfigurationException;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.RouteFiles;
import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.deadletter.ReplayRequest;
import io.mphub.kafka.KafkaClients;
import io.mphub.kafka.KafkaSettings;
import io.mphub.privacy.Audit;
import io.mphub.privacy.AuditTrail;
import io.mphub.privacy.DataContracts;
import io.mphub.privacy.PrivacySettings;
import io.mphub.privacy.Pseudonyms;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * {@code java -jar mphub.jar audit --app APPID --user OPENID [--since TIME] [--until TIME] [--events]}: which third
 * parties received this user's data, which personal fields, when, under which consent, and what was withheld, from
 * the audit topic and the settings the hub uses. It computes the user's reference under the audit key, and each
 * destination's pseudonym of the user, itself: the openid is never written anywhere. Exit codes: 0 done (whether or not
 * anything was found); 2 bad arguments or settings; 3 Kafka does not answer, or the audit topic cannot be read.
 */
final class AuditCommand extends Command {

    static final String USAGE = "usage: java -jar mphub.jar audit --app APPID --user OPENID [--since TIME]"
            + " [--until TIME] [--events]\n  TIME: 2026-11-29T08:00:00Z, 2026-11-29 (UTC), or a while ago: 90m, 2h, 3d";

    AuditCommand(Map<String, String> environment, PrintStream out, PrintStream err) {
        super("audit", environment, out, err);
    }

    @Override
    int run(String[] args) throws Exception {
        Optional<Map<String, String>> parsed = options(args, Set.of("--events"),
                Set.of("--app", "--user", "--since", "--until"), USAGE);
        if (parsed.isEmpty()) {
            return 2;
        }
        Map<String, String> options = parsed.get();
        if (!options.containsKey("--app") || !options.containsKey("--user")) {
            return usage("name the user with --app APPID --user OPENID");
        }
        Instant since;
        Instant until;
        try {
            since = options.containsKey("--since") ? ReplayRequest.time(options.get("--since"), Instant.now()) : null;
            until = options.containsKey("--until") ? ReplayRequest.time(options.get("--until"), Instant.now()) : null;
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
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
            Pseudonyms users = PrivacySettings.read(read).auditKey();
            List<String> destinations = RouteFiles.scan(Path.of(read.get(RouteFiles.DIR))).destinationNames();
            Map<String, String> pseudonyms = new LinkedHashMap<>();
            String openId = options.get("--user");
            for (String d : destinations) {
                Setting<Secret> key = PrivacySettings.PSEUDONYM_KEY.forName(d);
                read.optional(key).filter(k -> DataContracts.longEnough(read, key, k))
                        .ifPresent(k -> pseudonyms.put(d, new Pseudonyms(k.value()).of(openId)));
            }
            if (!problems.isEmpty()) {
                return refused(err, problems);
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
            String user = Audit.userReference(users, options.get("--app"), openId);
            List<AuditTrail.Line> lines;
            try {
                lines = AuditTrail.of(clients.get(), user, since, until, Duration.ofSeconds(10));
            } catch (org.apache.kafka.common.KafkaException e) {
                err.println("mphub audit: " + Audit.TOPIC + " cannot be read: " + e.getMessage());
                return 3;
            }
            report(lines, destinations, pseudonyms, options.containsKey("--events"));
            return 0;
        }
    }

    private void report(List<AuditTrail.Line> lines, List<String> destinations, Map<String, String> pseudonyms,
            boolean events) {
        Map<String, List<AuditTrail.Line>> byDestination = lines.stream().collect(Collectors.groupingBy(
                AuditTrail.Line::destination, LinkedHashMap::new, Collectors.toList()));
        TreeSet<String> received = new TreeSet<>();
        byDestination.forEach((d, its) -> its.stream().filter(l -> !l.outcome().equals("withheld")).findAny()
                .ifPresent(l -> received.add(d)));
        out.println("received: " + String.join(", ", received));
        for (Map.Entry<String, List<AuditTrail.Line>> d : byDestination.entrySet()) {
            List<AuditTrail.Line> delivered = d.getValue().stream().filter(l -> l.outcome().equals("delivered")).toList();
            List<AuditTrail.Line> withheld = d.getValue().stream().filter(l -> l.outcome().equals("withheld")).toList();
            out.println(d.getKey() + ":");
            String pseudonym = pseudonyms.get(d.getKey());
            boolean knownByPseudonym = delivered.stream().anyMatch(l -> l.sentAs() != null);
            out.println("  knows the user as: " + (knownByPseudonym && pseudonym != null ? pseudonym
                    + " (its pseudonym)" : knownByPseudonym ? "a pseudonym (its key is not set here)"
                    : delivered.isEmpty() ? "-" : "their openid"));
            if (!delivered.isEmpty()) {
                out.println("  delivered: " + count(delivered) + " events, " + delivered.get(0).at() + " to "
                        + delivered.get(delivered.size() - 1).at());
                out.println("  personal fields: " + delivered.stream().flatMap(l -> l.fields().stream())
                        .collect(Collectors.toCollection(TreeSet::new)));
                out.println("  consent relied on: " + delivered.stream().map(AuditTrail.Line::scope)
                        .map(s -> s == null ? "none (the user's own order)" : s).collect(Collectors.toCollection(
                                TreeSet::new)));
            }
            List<AuditTrail.Line> notTaken = d.getValue().stream().filter(l -> !l.outcome().equals("delivered")
                    && !l.outcome().equals("withheld")).toList();
            if (!notTaken.isEmpty()) {
                out.println("  sent, not taken: " + count(notTaken) + " events (" + notTaken.stream()
                        .map(l -> l.outcome() + " " + l.reason()).collect(Collectors.toCollection(TreeSet::new))
                        + "), " + notTaken.get(0).at() + " to " + notTaken.get(notTaken.size() - 1).at()
                        + "; it may hold their data");
            }
            if (!withheld.isEmpty()) {
                out.println("  withheld: " + count(withheld) + " events ("
                        + withheld.stream().map(AuditTrail.Line::reason).collect(Collectors.toCollection(TreeSet::new))
                        + "), " + withheld.get(0).at() + " to " + withheld.get(withheld.size() - 1).at());
            }
            if (events) {
                d.getValue().forEach(l -> out.println("    " + l.at() + " " + l.outcome() + " " + l.events()
                        + (l.fields().isEmpty() ? "" : " " + l.fields())));
            }
        }
        List<String> none = destinations.stream().filter(d -> !byDestination.containsKey(d)).sorted().toList();
        out.println("nothing of this user: " + (none.isEmpty() ? "-" : String.join(", ", none)));
    }

    private static int count(List<AuditTrail.Line> lines) {
        return lines.stream().mapToInt(l -> l.events().size()).sum();
    }

    private int usage(String problem) {
        return usage(problem, USAGE);
    }
}
