package io.mphub.provider.wechat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.YamlFiles;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads {@code routes/cloud-functions.yaml} with line numbers (snakeyaml-engine's node marks, as
 * {@link MessageTemplatesFile} does) and reports every problem as {@code file:line}: an event type the contract does
 * not know, a function without a name, an environment id for an AppID the hub is not configured for, an app without
 * an environment, a value still the shipped placeholder.
 *
 * <pre>
 * env: prod-3g5x1a                       # or per mini program: env: {wx1234567890abcdef: prod-3g5x1a}
 * functions:
 *   mp.order.paid: onOrderPaid
 *   mp.order.shipped: {name: onOrderShipped, publishResult: true}
 * </pre>
 */
final class CloudFunctionsFile {

    private static final Set<String> TOP = Set.of("env", "functions");
    private static final Set<String> ENTRY = Set.of("name", "publishResult");
    /** What WeChat takes in the query: no separators, no spaces. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final String file;
    private final EventFields fields;
    private final Set<String> appIds;
    private final List<Problem> problems;

    private CloudFunctionsFile(String file, EventFields fields, Set<String> appIds, List<Problem> problems) {
        this.file = file;
        this.fields = fields;
        this.appIds = appIds;
        this.problems = problems;
    }

    /**
     * @param fields the contract's event types
     * @param appIds the configured AppIDs, each of which needs an environment
     * @return the functions, or empty when the file has problems (all added to {@code problems})
     */
    static Optional<CloudFunctions> load(Path path, EventFields fields, Set<String> appIds, List<Problem> problems) {
        int before = problems.size();
        CloudFunctions read = new CloudFunctionsFile(path.toString(), fields, appIds, problems).read(path);
        return problems.size() > before ? Optional.empty() : Optional.ofNullable(read);
    }

    private CloudFunctions read(Path path) {
        Optional<Optional<Node>> parsed = YamlFiles.read(path, problems);
        if (parsed.isEmpty()) {
            return null;
        }
        if (!(parsed.get().orElse(null) instanceof MappingNode root)) {
            problems.add(new Problem(file + ":1", "expected 'env' and 'functions'",
                    "write env: <your cloud environment id> and functions: with one line per event type"));
            return null;
        }
        int before = problems.size();
        Map<String, String> envByApp = new LinkedHashMap<>();
        Optional<String> anyApp = Optional.empty();
        Map<String, CloudFunctions.Function> functions = new LinkedHashMap<>();
        Node envNode = root;
        boolean envSaid = false; // a wrong env for every app is said once, not again for each app
        for (NodeTuple t : root.getValue()) {
            String key = scalar(t.getKeyNode());
            if (!TOP.contains(key)) {
                problem(t.getKeyNode(), "unknown key '" + key + "'", "use env and functions");
            } else if (key.equals("env")) {
                envNode = t.getValueNode();
                anyApp = env(t.getValueNode(), envByApp);
                envSaid = t.getValueNode() instanceof ScalarNode && anyApp.isEmpty();
            } else {
                functions(t.getValueNode(), functions);
            }
        }
        if (functions.isEmpty() && problems.size() == before) {
            problem(root, "no event type is mapped to a cloud function",
                    "add functions: with a line per type, e.g. mp.order.paid: onOrderPaid");
        }
        for (String app : appIds) {
            if (!envByApp.containsKey(app) && anyApp.isEmpty() && !envSaid) {
                problem(envNode, "no cloud environment for app " + app,
                        "set env: <environment id> for every app, or env: {" + app + ": <environment id>}");
            }
        }
        return new CloudFunctions(Map.copyOf(envByApp), anyApp, Map.copyOf(functions));
    }

    /** One id for every app, or one per AppID. */
    private Optional<String> env(Node node, Map<String, String> envByApp) {
        if (node instanceof ScalarNode s) {
            return Optional.ofNullable(envId(s));
        }
        if (!(node instanceof MappingNode byApp)) {
            problem(node, "env is neither an environment id nor a mapping of AppIDs to ids",
                    "write env: <id>, or env: {wx1234567890abcdef: <id>}");
            return Optional.empty();
        }
        for (NodeTuple t : byApp.getValue()) {
            String app = scalar(t.getKeyNode());
            if (!appIds.contains(app)) {
                problem(t.getKeyNode(), "app " + app + " is not in " + WeChatSettings.APP_IDS.key(),
                        "add it to " + WeChatSettings.APP_IDS.envName() + " or remove this line");
            } else if (t.getValueNode() instanceof ScalarNode s && envId(s) != null) {
                envByApp.put(app, s.getValue().trim());
            }
        }
        return Optional.empty();
    }

    private String envId(ScalarNode node) {
        String id = node.getValue().trim();
        if (id.isEmpty() || id.startsWith(MessageTemplatesFile.SHIPPED_PLACEHOLDER) || !NAME.matcher(id).matches()) {
            problem(node, id.isEmpty() ? "no environment id" : "'" + id + "' is not an environment id",
                    "write the id of the mini program's cloud environment (云开发控制台 → 设置 → 环境 ID)");
            return null;
        }
        return id;
    }

    private void functions(Node node, Map<String, CloudFunctions.Function> functions) {
        if (!(node instanceof MappingNode mapping)) {
            problem(node, "functions is not a mapping of event types", "write one line per type, e.g."
                    + " mp.order.paid: onOrderPaid");
            return;
        }
        for (NodeTuple t : mapping.getValue()) {
            String type = scalar(t.getKeyNode());
            if (!fields.knows(type)) {
                problem(t.getKeyNode(), "'" + type + "' is not an event type of the contract",
                        "use a type with a schema in schemas/, e.g. mp.order.paid");
                continue;
            }
            CloudFunctions.Function function = function(type, t.getValueNode());
            if (function != null && functions.put(type, function) != null) {
                problem(t.getKeyNode(), type + " is mapped twice", "keep one line for it");
            }
        }
    }

    private CloudFunctions.Function function(String type, Node node) {
        Node name = node;
        boolean publish = false;
        if (node instanceof MappingNode entry) {
            name = null;
            for (NodeTuple t : entry.getValue()) {
                String key = scalar(t.getKeyNode());
                if (!ENTRY.contains(key)) {
                    problem(t.getKeyNode(), "unknown key '" + key + "' for " + type, "use name and publishResult");
                } else if (key.equals("name")) {
                    name = t.getValueNode();
                } else if (!Set.of("true", "false").contains(scalar(t.getValueNode()))) {
                    problem(t.getValueNode(), "publishResult is true or false", "write publishResult: true or false");
                } else {
                    publish = scalar(t.getValueNode()).equals("true");
                }
            }
        }
        String text = name == null ? "" : scalar(name);
        if (!NAME.matcher(text).matches() || text.startsWith(MessageTemplatesFile.SHIPPED_PLACEHOLDER)) {
            problem(name == null ? node : name, text.isEmpty() ? "no function name for " + type
                    : "'" + text + "' (for " + type + ") is not a cloud function's name",
                    "write the name the function has in the cloud environment, e.g. onOrderPaid");
            return null;
        }
        return new CloudFunctions.Function(text, publish);
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode s ? s.getValue().trim() : "";
    }

    private void problem(Node node, String what, String fix) {
        problems.add(YamlFiles.problem(file, node, what, fix));
    }
}
