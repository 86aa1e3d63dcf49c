package io.mphub.provider;

import static io.mphub.config.YamlFiles.problem;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.config.YamlFiles;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads an analytics provider's event-names file (e.g. {@code routes/sensorsdata-events.yaml}): one mapping from
 * event type to the platform's event name, {@code mp.behaviour.page_view: $MPViewScreen}. Every problem is reported as
 * {@code file:line} (snakeyaml-engine's node marks, as {@code MessageTemplatesFile} does): a key that is not an event
 * type of the contract's form, a name the platform would refuse (the platform's own rule), a type mapped twice.
 */
public final class EventNamesFile {

    /** The contract's rule for a type (README, "The event contract in brief"). */
    private static final Pattern TYPE = Pattern.compile("mp\\.[a-z]+\\.[a-z][a-z0-9_]*");

    /**
     * @param check what is wrong with a name on this platform, or null when it is fine
     * @param rule  the platform's rule in words, for the fix
     */
    public record NameRule(String platform, Function<String, String> check, String rule) {
    }

    private EventNamesFile() {
    }

    /**
     * The names from the file {@code setting} names; when it is not set, from {@code defaultFile} if that exists, else
     * none (every type by its short name). Problems go to {@code settings}.
     */
    public static Optional<EventNames> read(Settings.Reader settings, Setting<String> setting, Path defaultFile,
            NameRule rule) {
        Optional<String> set = settings.optional(setting);
        Path file = set.map(Path::of).orElse(defaultFile);
        if (set.isEmpty() && !Files.exists(file)) {
            return Optional.of(new EventNames(Map.of()));
        }
        if (!Files.isRegularFile(file)) {
            settings.problem(setting, "the event-names file " + file + " does not exist",
                    "create it (one line per event type, e.g. mp.behaviour.page_view: page_view), or unset "
                            + setting.envName() + " to use " + defaultFile + " or the types' short names");
            return Optional.empty();
        }
        List<Problem> problems = new ArrayList<>();
        Optional<EventNames> names = load(file, rule, problems);
        problems.forEach(settings::problem);
        return names;
    }

    /** @return the names, or empty when the file has problems (all added to {@code problems}) */
    public static Optional<EventNames> load(Path path, NameRule rule, List<Problem> problems) {
        int before = problems.size();
        String file = path.toString();
        Optional<Optional<Node>> parsed = YamlFiles.read(path, problems);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Node root = parsed.get().orElse(null);
        if (root == null) {
            return Optional.of(new EventNames(Map.of())); // only comments: nothing mapped
        }
        if (!(root instanceof MappingNode mapping)) {
            problems.add(problem(file, root, "expected a mapping of event types to " + rule.platform() + " event names",
                    "write one line per type, e.g. mp.behaviour.page_view: page_view"));
            return Optional.empty();
        }
        Map<String, String> names = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            String type = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
            if (!TYPE.matcher(type).matches()) {
                problems.add(problem(file, t.getKeyNode(), "'" + type + "' is not an event type",
                        "use a type of the contract, e.g. mp.order.paid or mp.behaviour.page_view"));
                continue;
            }
            if (!(t.getValueNode() instanceof ScalarNode value) || value.getValue().isBlank()) {
                problems.add(problem(file, t.getValueNode(), "no " + rule.platform() + " event name for " + type,
                        "write the name after the ':', or remove the line to use " + EventNames.shortName(type)));
                continue;
            }
            String name = value.getValue().trim();
            String wrong = rule.check().apply(name);
            if (wrong != null) {
                problems.add(problem(file, value, "'" + name + "' (for " + type + ") " + wrong, rule.rule()));
            } else if (names.put(type, name) != null) {
                problems.add(problem(file, t.getKeyNode(), type + " is mapped twice", "keep one line for it"));
            }
        }
        return problems.size() > before ? Optional.empty() : Optional.of(new EventNames(names));
    }
}
