package io.mphub.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The operators' route files, read as YAML with line numbers so that start-up can check what Camel would only
 * find later or not at all: the fan-out table names destinations that exist, throttle modes are spelt right,
 * and each destination file names its destination.
 */
public final class RouteFiles {

    /** A value found in a route file, with the place it stands. */
    public record Found(String file, int line, String value) {
        public String where() {
            return file + ":" + line;
        }
    }

    /** A parameter of a destination file's templatedRoute: its name and its value where it stands. */
    public record Parameter(String name, Found value) {
    }

    public static final Setting<String> DIR = Setting.text("mphub.routes.dir").defaultValue("routes")
            .fix("run mphub from its folder, or set MPHUB_ROUTES_DIR to the routes directory")
            .description("The operators' route files; the top-level ones are watched for live reload.");
    public static final Setting<Boolean> RELOAD = Setting.flag("mphub.routes.reload-enabled").defaultValue(true)
            .description("Apply edits of the top-level route files (ingest, dispatch, error handling) without a"
                    + " restart, once they pass the start-up checks; a broken edit is logged once as file:line and the"
                    + " running routes keep serving. Edits under destinations/ and templates/ apply on restart.");
    /** Camel reads any mode other than TotalRequests as ConcurrentRequests, without a word. */
    public static final Set<String> THROTTLE_MODES = Set.of("TotalRequests", "ConcurrentRequests");

    public static final String DISPATCH_FILE = "dispatch.camel.yaml";
    public static final String DESTINATIONS_DIR = "destinations";
    /** The template of a destination that sends one event per request. */
    public static final String DELIVER = "deliver";
    /** The template of a destination that delivers in batches. */
    public static final String DELIVER_BATCH = "deliver-batch";
    /** The exchange property the fan-out table sets to a comma-separated list of destinations. */
    public static final String DESTINATIONS_PROPERTY = "destinations";

    private final List<ConfigurationException.Problem> problems = new ArrayList<>();
    private final List<Found> destinations = new ArrayList<>();
    private final List<Found> dispatchTargets = new ArrayList<>();
    private final List<Found> throttleModes = new ArrayList<>();
    private final List<Found> routeIds = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<Found> templates = new ArrayList<>();
    private final List<Found> dispatchTables = new ArrayList<>();
    private final List<Found> unreadableBranches = new ArrayList<>();
    private final List<Scalar> scalars = new ArrayList<>();

    /** A key and its value in one of the files the hub relies on the shape of. */
    private record Scalar(String relative, String file, String key, String value, int line) {
    }

    /**
     * What Java relies on in the shipped route files, by file (relative to the routes directory): a key and the value it
     * must have. Each file says so in its header comment; start-up refuses a file that breaks one, naming it.
     */
    static final Map<String, List<Map.Entry<String, String>>> RELIED_ON = Map.of(
            "ingest.camel.yaml", List.of(
                    Map.entry("id", "ingest"),
                    Map.entry("groupId", "{{mphub.ingest.group-id}}")),
            "templates/deliver.camel.yaml", List.of(
                    Map.entry("id", "deliver"),
                    Map.entry("uri", "mphub-delivery:{{destination}}"),
                    Map.entry("ref", "delivery")),
            "templates/deliver-batch.camel.yaml", List.of(
                    Map.entry("id", "deliver-batch"),
                    Map.entry("uri", "kafka:mp.out.{{destination}}"),
                    Map.entry("groupId", "mphub.deliver.{{destination}}"),
                    Map.entry("batching", "true"),
                    Map.entry("maxPollRecords", "{{mphub.destinations.{{destination}}.batch.max-events}}"),
                    Map.entry("batchingIntervalMs", "{{mphub.destinations.{{destination}}.batch.max-wait-ms}}"),
                    Map.entry("ref", "batchDelivery"),
                    Map.entry("method", "deliver(${exchange}, '{{destination}}')")));

    private final Path dir;
    /** The files that parsed, relative to the routes directory. */
    private final Set<String> read = new HashSet<>();
    /** The line the fan-out table's route starts at. */
    private int dispatchLine;

    private RouteFiles(Path dir) {
        this.dir = dir;
    }

    public static RouteFiles scan(Path dir) throws IOException {
        RouteFiles files = new RouteFiles(dir);
        if (!Files.isDirectory(dir)) {
            files.problems.add(new ConfigurationException.Problem(dir.toString(), "the routes directory does not exist",
                    DIR.fix()));
            return files;
        }
        List<Path> yamlFiles;
        try (Stream<Path> walk = Files.walk(dir)) {
            yamlFiles = walk.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
        for (Path file : yamlFiles) {
            files.read(dir, file);
        }
        if (yamlFiles.stream().noneMatch(p -> p.getFileName().toString().equals(DISPATCH_FILE))) {
            files.problems.add(new ConfigurationException.Problem(dir.resolve(DISPATCH_FILE).toString(),
                    "the fan-out table is missing", "restore " + DISPATCH_FILE + " from the mphub distribution"));
        }
        return files;
    }

    private void read(Path dir, Path file) throws IOException {
        String name = file.toString();
        Optional<Optional<Node>> parsed = YamlFiles.read(file, problems);
        if (parsed.isEmpty() || parsed.get().isEmpty()) {
            return;
        }
        Node root = parsed.get().get();
        String relative = dir.relativize(file).toString().replace('\\', '/');
        read.add(relative);
        boolean reliedOn = RELIED_ON.containsKey(relative);
        boolean isDestination = dir.resolve(DESTINATIONS_DIR).equals(file.getParent());
        boolean isDispatch = file.getParent().equals(dir) && file.getFileName().toString().equals(DISPATCH_FILE);
        if (isDispatch) {
            dispatchLine = YamlFiles.line(root);
        }
        walk(root, (key, value) -> {
            if (isDestination && key.equals("templatedRoute") && value instanceof MappingNode templated) {
                scalar(templated, "routeId").ifPresent(id -> routeIds.add(found(name, id)));
                scalar(templated, "routeTemplateRef").ifPresent(t -> templates.add(found(name, t)));
            }
            if (key.equals("throttle") && value instanceof MappingNode throttle) {
                scalar(throttle, "mode").ifPresent(mode -> throttleModes.add(found(name, mode)));
            }
            if (value instanceof MappingNode param) {
                // a templatedRoute parameter is a mapping {name: ..., value: ...}
                var paramName = scalar(param, "name").map(ScalarNode::getValue).orElse("");
                var paramValue = scalar(param, "value");
                if (isDestination && !paramName.isEmpty() && paramValue.isPresent()) {
                    parameters.add(new Parameter(paramName, found(name, paramValue.get())));
                    if (paramName.equals("destination")) {
                        destinations.add(found(name, paramValue.get()));
                    }
                }
            }
            if (isDispatch && key.equals("setProperty") && value instanceof MappingNode set
                    && scalar(set, "name").map(ScalarNode::getValue).orElse("").equals(DESTINATIONS_PROPERTY)) {
                dispatchTables.add(new Found(name, YamlFiles.line(set), DESTINATIONS_PROPERTY));
                scalar(set, "constant").ifPresentOrElse(list -> {
                    for (String target : list.getValue().split(",")) {
                        if (!target.isBlank()) {
                            dispatchTargets.add(new Found(name, YamlFiles.line(list), target.trim()));
                        }
                    }
                }, () -> unreadableBranches.add(new Found(name, YamlFiles.line(set), DESTINATIONS_PROPERTY)));
            }
            if (reliedOn && value instanceof ScalarNode scalar && !key.isEmpty()) {
                scalars.add(new Scalar(relative, name, key, scalar.getValue(), YamlFiles.line(scalar)));
            }
        });
    }

    /** Visits every mapping entry (key, value) and every sequence item (with key "") in the tree. */
    private static void walk(Node node, BiConsumer<String, Node> visit) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
                visit.accept(key, tuple.getValueNode());
                walk(tuple.getValueNode(), visit);
            }
        } else if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                visit.accept("", item);
                walk(item, visit);
            }
        }
    }

    private static Optional<ScalarNode> scalar(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)
                    && tuple.getValueNode() instanceof ScalarNode v) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    private static Found found(String file, ScalarNode node) {
        return new Found(file, YamlFiles.line(node), node.getValue());
    }


    /** Problems reading the files: a directory or file missing, YAML that does not parse. */
    public List<ConfigurationException.Problem> problems() {
        return problems;
    }

    /** Whether reading {@code file} (named as in {@link #problems()}) found a problem: its YAML does not parse. */
    public boolean unreadable(String file) {
        return problems.stream().anyMatch(p -> p.where().equals(file) || p.where().startsWith(file + ":"));
    }

    /**
     * What start-up checks in the route files themselves, and a live reload checks again before it applies an edit:
     * the fan-out table sends only to {@code destinations}, each destination's route is named deliver-<name>, and every
     * throttle mode is one Camel knows.
     */
    public List<ConfigurationException.Problem> problems(Set<String> destinations) {
        List<ConfigurationException.Problem> found = new ArrayList<>();
        // A destination file that does not parse defines nothing; its YAML problem is reported, not a follow-on.
        boolean parsed = problems.isEmpty();
        for (RouteFiles.Found target : parsed ? dispatchTargets : List.<RouteFiles.Found>of()) {
            if (!destinations.contains(target.value())) {
                found.add(new ConfigurationException.Problem(target.where(),
                        "the fan-out table sends to unknown destination '" + target.value() + "'; known: "
                                + destinations.stream().sorted().collect(Collectors.joining(", ")),
                        "correct the name, or add routes/destinations/" + target.value() + ".camel.yaml"));
            }
        }
        for (RouteFiles.Found destination : this.destinations) {
            String expected = "deliver-" + destination.value();
            boolean named = routeIds.stream()
                    .anyMatch(id -> id.file().equals(destination.file()) && id.value().equals(expected));
            if (!named) {
                String where = routeIds.stream().filter(id -> id.file().equals(destination.file())).findFirst()
                        .map(Found::where).orElse(destination.where());
                found.add(new ConfigurationException.Problem(where, "the delivery route of destination '"
                        + destination.value() + "' is not named " + expected,
                        "give its templatedRoute 'routeId: " + expected + "'"));
            }
        }
        if (parsed && read.contains(DISPATCH_FILE) && dispatchTables.isEmpty()) {
            found.add(new ConfigurationException.Problem(dir.resolve(DISPATCH_FILE) + ":" + dispatchLine,
                    "the fan-out table sets no '"
                    + DESTINATIONS_PROPERTY + "' property, so the hub cannot read which destinations receive what",
                    "write each branch as setProperty: {name: " + DESTINATIONS_PROPERTY + ", constant: a,b}"));
        }
        for (RouteFiles.Found branch : unreadableBranches) {
            found.add(new ConfigurationException.Problem(branch.where(), "this branch of the fan-out table sets '"
                    + DESTINATIONS_PROPERTY + "' other than with a constant list, so the hub cannot check where it sends",
                    "write it as setProperty: {name: " + DESTINATIONS_PROPERTY + ", constant: a,b}"));
        }
        for (var file : parsed ? RELIED_ON.entrySet() : Set.<Map.Entry<String, List<Map.Entry<String, String>>>>of()) {
            for (Map.Entry<String, String> pair : file.getValue()) {
                boolean there = scalars.stream().anyMatch(v -> v.relative().equals(file.getKey())
                        && v.key().equals(pair.getKey()) && v.value().equals(pair.getValue()));
                if (!there && read.contains(file.getKey())) {
                    // Where the key is, with another value, when it is there at all: that line is the one to restore.
                    Optional<Scalar> changed = scalars.stream().filter(v -> v.relative().equals(file.getKey())
                            && v.key().equals(pair.getKey())).findFirst();
                    String where = dir.resolve(file.getKey()) + changed.map(v -> ":" + v.line()).orElse("");
                    found.add(new ConfigurationException.Problem(where, "the hub relies on '" + pair.getKey() + ": "
                            + pair.getValue() + "' in this file, and it is " + changed.map(v -> "'" + v.value() + "'")
                            .orElse("not there"), "restore it as the mphub distribution has it (the comment at the top"
                            + " of the file says what may change and what may not)"));
                }
            }
        }
        for (RouteFiles.Found mode : throttleModes) {
            if (!THROTTLE_MODES.contains(mode.value()) && !mode.value().contains("{{")) {
                found.add(new ConfigurationException.Problem(mode.where(), "unknown throttle mode '" + mode.value()
                        + "' (Camel would silently treat it as ConcurrentRequests)",
                        "use TotalRequests (at most N requests per period) or ConcurrentRequests (at most N in flight)"));
            }
        }
        return found;
    }


    /** The routes directory scanned. */
    public Path dir() {
        return dir;
    }

    /** Destinations defined by a file under routes/destinations/. */
    public List<Found> destinations() {
        return destinations;
    }

    /** The names of {@link #destinations()}. */
    public List<String> destinationNames() {
        return destinations.stream().map(Found::value).toList();
    }

    /** Destination names the fan-out table sends to. */
    public List<Found> dispatchTargets() {
        return dispatchTargets;
    }

    /** The route ids given in destination files (pausing finds a destination's route as deliver-<name>). */
    public List<Found> destinationRouteIds() {
        return routeIds;
    }

    /** The template a destination file's route is made from ({@link #DELIVER} or {@link #DELIVER_BATCH}), where it says so. */
    public Optional<Found> templateOf(String file) {
        return templates.stream().filter(t -> t.file().equals(file)).findFirst();
    }

    /** The parameters a destination file gives its template, in the order written. */
    public List<Parameter> parametersOf(String file) {
        return parameters.stream().filter(p -> p.value().file().equals(file)).toList();
    }

    /** Throttle modes written in route files. */
    public List<Found> throttleModes() {
        return throttleModes;
    }
}
