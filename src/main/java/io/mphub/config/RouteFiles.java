package io.mphub.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
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

    public static final String DISPATCH_FILE = "dispatch.camel.yaml";
    public static final String DESTINATIONS_DIR = "destinations";
    /** The exchange property the fan-out table sets to a comma-separated list of destinations. */
    public static final String DESTINATIONS_PROPERTY = "destinations";

    private final List<ConfigurationException.Problem> problems = new ArrayList<>();
    private final List<Found> destinations = new ArrayList<>();
    private final List<Found> dispatchTargets = new ArrayList<>();
    private final List<Found> throttleModes = new ArrayList<>();
    private final List<Found> routeIds = new ArrayList<>();

    private RouteFiles() {
    }

    public static RouteFiles scan(Path dir) throws IOException {
        RouteFiles files = new RouteFiles();
        if (!Files.isDirectory(dir)) {
            files.problems.add(new ConfigurationException.Problem(dir.toString(), "the routes directory does not exist",
                    "run mphub from its folder, or set mphub.routes.dir (MPHUB_ROUTES_DIR) to the routes directory"));
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
        Node root;
        try (Reader reader = Files.newBufferedReader(file)) {
            root = new Compose(LoadSettings.builder().setLabel(name).build()).composeReader(reader).orElse(null);
        } catch (MarkedYamlEngineException e) {
            // An unclosed quote is only noticed at the end of the file: point at where it was opened instead.
            var mark = e.getProblem().contains("end of stream") ? e.getContextMark().or(e::getProblemMark)
                    : e.getProblemMark();
            int line = mark.map(m -> m.getLine() + 1).orElse(0);
            problems.add(new ConfigurationException.Problem(name + ":" + line,
                    "malformed YAML: " + e.getProblem() + (e.getContext() == null ? "" : " " + e.getContext()),
                    "correct the YAML at that line (indentation and ':' are the usual suspects)"));
            return;
        } catch (YamlEngineException e) {
            problems.add(new ConfigurationException.Problem(name, "malformed YAML: " + e.getMessage(),
                    "correct the YAML"));
            return;
        }
        if (root == null) {
            return;
        }
        boolean isDestination = dir.resolve(DESTINATIONS_DIR).equals(file.getParent());
        boolean isDispatch = file.getParent().equals(dir) && file.getFileName().toString().equals(DISPATCH_FILE);
        walk(root, (key, value) -> {
            if (isDestination && key.equals("templatedRoute") && value instanceof MappingNode templated) {
                scalar(templated, "routeId").ifPresent(id -> routeIds.add(found(name, id)));
            }
            if (key.equals("throttle") && value instanceof MappingNode throttle) {
                scalar(throttle, "mode").ifPresent(mode -> throttleModes.add(found(name, mode)));
            }
            if (value instanceof MappingNode param) {
                // a templatedRoute parameter is a mapping {name: ..., value: ...}
                var paramName = scalar(param, "name").map(ScalarNode::getValue).orElse("");
                var paramValue = scalar(param, "value");
                if (isDestination && paramName.equals("destination") && paramValue.isPresent()) {
                    destinations.add(found(name, paramValue.get()));
                }
            }
            if (isDispatch && key.equals("setProperty") && value instanceof MappingNode set
                    && scalar(set, "name").map(ScalarNode::getValue).orElse("").equals(DESTINATIONS_PROPERTY)) {
                scalar(set, "constant").ifPresent(list -> {
                    for (String target : list.getValue().split(",")) {
                        if (!target.isBlank()) {
                            dispatchTargets.add(new Found(name, line(list), target.trim()));
                        }
                    }
                });
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

    private static java.util.Optional<ScalarNode> scalar(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)
                    && tuple.getValueNode() instanceof ScalarNode v) {
                return java.util.Optional.of(v);
            }
        }
        return java.util.Optional.empty();
    }

    private static Found found(String file, ScalarNode node) {
        return new Found(file, line(node), node.getValue());
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    public List<ConfigurationException.Problem> problems() {
        return problems;
    }

    /** Destinations defined by a file under routes/destinations/. */
    public List<Found> destinations() {
        return destinations;
    }

    /** Destination names the fan-out table sends to. */
    public List<Found> dispatchTargets() {
        return dispatchTargets;
    }

    /** The route ids given in destination files (pausing finds a destination's route as deliver-<name>). */
    public List<Found> destinationRouteIds() {
        return routeIds;
    }

    /** Throttle modes written in route files. */
    public List<Found> throttleModes() {
        return throttleModes;
    }
}
