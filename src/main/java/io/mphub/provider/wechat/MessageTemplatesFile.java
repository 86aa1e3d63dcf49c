package io.mphub.provider.wechat;

import java.nio.file.Files;
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
 * Reads {@code routes/subscribe-messages.yaml} with line numbers (snakeyaml-engine's node marks, as
 * {@code config/RouteFiles} does) and reports every problem as {@code file:line}: an event type the contract does
 * not know, a template without a template id, a placeholder naming nothing the event has, a key that is not a
 * WeChat template key, a literal value WeChat would refuse, an AppID the hub is not configured for, a template id
 * still the shipped placeholder.
 */
public final class MessageTemplatesFile {

    static final Set<String> STATES = Set.of("developer", "trial", "formal");
    static final Set<String> LANGS = Set.of("zh_CN", "en_US", "zh_HK", "zh_TW");
    private static final Set<String> TOP = Set.of("defaults", "templates");
    private static final Set<String> ENTRY = Set.of("template_id", "page", "data", "miniprogram_state", "lang");
    /** WeChat template keys are a type and a number: thing1, character_string2, time3. */
    private static final Pattern KEY = Pattern.compile("[a-z]+(_[a-z]+)*[0-9]+");
    /** How the shipped {@code routes/subscribe-messages.yaml} marks the template ids a user must put in. */
    static final String SHIPPED_PLACEHOLDER = "REPLACE-WITH";

    private final String file;
    private final EventFields fields;
    private final Set<String> appIds;
    private final List<Problem> problems;

    private MessageTemplatesFile(String file, EventFields fields, Set<String> appIds, List<Problem> problems) {
        this.file = file;
        this.fields = fields;
        this.appIds = appIds;
        this.problems = problems;
    }

    /**
     * @param appIds the configured AppIDs, which per-app template ids must name
     * @return the templates, or empty when the file has problems (all added to {@code problems})
     */
    public static Optional<MessageTemplates> load(Path path, EventFields fields, Set<String> appIds,
            List<Problem> problems) {
        int before = problems.size();
        MessageTemplatesFile reader = new MessageTemplatesFile(path.toString(), fields, appIds, problems);
        MessageTemplates templates = reader.read(path);
        return problems.size() > before ? Optional.empty() : Optional.ofNullable(templates);
    }

    private MessageTemplates read(Path path) {
        if (!Files.isRegularFile(path)) {
            problems.add(new Problem(file, "the subscribe-message templates file does not exist",
                    "create it (see docs/providers/wechat-subscribe-messages.md), or set mphub.wechat.subscribe-messages"
                            + " (MPHUB_WECHAT_SUBSCRIBE_MESSAGES) to its path"));
            return null;
        }
        Optional<Optional<Node>> parsed = YamlFiles.read(path, problems);
        if (parsed.isEmpty()) {
            return null;
        }
        Node root = parsed.get().orElse(null);
        if (!(root instanceof MappingNode top)) {
            problems.add(new Problem(file, "expected a mapping with 'templates:' (and optional 'defaults:')",
                    "start from the file in the mphub distribution"));
            return null;
        }
        unknownKeys(top, TOP, "at the top");
        Map<String, String> defaults = Map.of("miniprogram_state", "formal", "lang", "zh_CN");
        Node defaultsNode = value(top, "defaults");
        if (defaultsNode != null) {
            defaults = new LinkedHashMap<>(defaults);
            if (defaultsNode instanceof MappingNode d) {
                unknownKeys(d, Set.of("miniprogram_state", "lang"), "in defaults");
                for (String key : List.of("miniprogram_state", "lang")) {
                    String v = choice(d, key, key.equals("lang") ? LANGS : STATES);
                    if (v != null) {
                        defaults.put(key, v);
                    }
                }
            } else {
                problems.add(problem(defaultsNode, "'defaults' must be a mapping", "write miniprogram_state: and lang: under it"));
            }
        }
        Node templatesNode = value(top, "templates");
        if (!(templatesNode instanceof MappingNode templates)) {
            problems.add(problem(templatesNode == null ? top : templatesNode, "no 'templates:' mapping",
                    "map each event type to its template: templates: {mp.order.shipped: {template_id: …, data: {…}}}"));
            return null;
        }
        Map<String, MessageTemplate> byType = new LinkedHashMap<>();
        for (NodeTuple tuple : templates.getValue()) {
            String type = text(tuple.getKeyNode());
            if (!fields.knows(type)) {
                problems.add(problem(tuple.getKeyNode(), "unknown event type '" + type + "'; known: " + fields.knownTypes(),
                        "use an event type of the contract (schemas/)"));
                continue;
            }
            if (!(tuple.getValueNode() instanceof MappingNode entry)) {
                problems.add(problem(tuple.getValueNode(), "the template of " + type + " must be a mapping",
                        "give it template_id: and data:"));
                continue;
            }
            MessageTemplate template = template(type, tuple.getKeyNode(), entry, defaults);
            if (template != null) {
                byType.put(type, template);
            }
        }
        return new MessageTemplates(Map.copyOf(byType));
    }

    /** @param at where a missing key is reported: the event type's line */
    private MessageTemplate template(String type, Node at, MappingNode entry, Map<String, String> defaults) {
        int before = problems.size();
        Map<String, String> templateIds = templateIds(type, at, entry);
        Placeholders page = null;
        Node pageNode = value(entry, "page");
        if (pageNode != null) {
            page = placeholders(type, pageNode, null);
        }
        Map<String, Placeholders> data = new LinkedHashMap<>();
        Node dataNode = value(entry, "data");
        if (!(dataNode instanceof MappingNode dataMap) || dataMap.getValue().isEmpty()) {
            problems.add(problem(dataNode == null ? at : dataNode, "the template of " + type + " has no data",
                    "map each key of the WeChat template to its value, e.g. thing1: \"{data.carrier}\""));
        } else {
            for (NodeTuple field : dataMap.getValue()) {
                String key = text(field.getKeyNode());
                if (!KEY.matcher(key).matches()) {
                    problems.add(problem(field.getKeyNode(), "'" + key + "' is not a WeChat template key",
                            "use the key from the template's details without '.DATA', e.g. thing1, character_string2, time3"));
                    continue;
                }
                Placeholders value = placeholders(type, field.getValueNode(), key);
                if (value != null) {
                    data.put(key, value);
                }
            }
        }
        String state = Optional.ofNullable(choice(entry, "miniprogram_state", STATES)).orElse(defaults.get("miniprogram_state"));
        String lang = Optional.ofNullable(choice(entry, "lang", LANGS)).orElse(defaults.get("lang"));
        unknownKeys(entry, ENTRY, "in the template of " + type);
        if (problems.size() > before) {
            return null;
        }
        return new MessageTemplate(type, Map.copyOf(templateIds), page, data, state, lang);
    }

    /** {@code template_id: id} for every app, or {@code template_id: {wx…: id, …}} per app. */
    private Map<String, String> templateIds(String type, Node at, MappingNode entry) {
        Node node = value(entry, "template_id");
        Map<String, String> ids = new LinkedHashMap<>();
        String fix = "copy the template id from the admin console (订阅消息 → 我的模板)";
        if (node instanceof ScalarNode s && !s.getValue().isBlank()) {
            if (!placeholderId(type, s)) {
                ids.put(MessageTemplate.ANY_APP, s.getValue().trim());
            }
        } else if (node instanceof MappingNode perApp && !perApp.getValue().isEmpty()) {
            for (NodeTuple t : perApp.getValue()) {
                String app = text(t.getKeyNode());
                if (!appIds.contains(app)) {
                    problems.add(problem(t.getKeyNode(), "template id for app '" + app + "', which is not in "
                            + WeChatSettings.APP_IDS.key(), "use one of " + appIds + ", or add the app"));
                } else if (!(t.getValueNode() instanceof ScalarNode v) || v.getValue().isBlank()) {
                    problems.add(problem(t.getValueNode(), "app " + app + " has an empty template id for " + type, fix));
                } else if (!placeholderId(type, v)) {
                    ids.put(app, v.getValue().trim());
                }
            }
        } else {
            problems.add(problem(node == null ? at : node, "the template of " + type + " has no template_id", fix));
        }
        return ids;
    }

    /**
     * True (and a problem) when the template id is still the shipped file's placeholder: WeChat would refuse every
     * message with errcode 40037 at the first event, so the hub refuses to start instead.
     */
    private boolean placeholderId(String type, ScalarNode id) {
        if (!id.getValue().trim().startsWith(SHIPPED_PLACEHOLDER)) {
            return false;
        }
        problems.add(problem(id, "the template id of " + type + " is still the shipped placeholder '"
                + id.getValue().trim() + "'", "set your template id from the mini program's admin console"
                + " (订阅消息 → 我的模板), and the data keys to that template's"));
        return true;
    }

    /** A text with placeholders, each naming something the event type has; a literal value checked by its key's rule. */
    private Placeholders placeholders(String type, Node node, String key) {
        String what = key == null ? "page" : key;
        if (!(node instanceof ScalarNode scalar)) {
            problems.add(problem(node, what + " must be text", "write it as a quoted string"));
            return null;
        }
        Placeholders parsed;
        try {
            parsed = Placeholders.parse(scalar.getValue());
        } catch (IllegalArgumentException e) {
            problems.add(problem(node, what + ": " + e.getMessage(), "write placeholders as {data.field} or {time}"));
            return null;
        }
        boolean ok = true;
        for (String name : parsed.names()) {
            if (!fields.names(type, name)) {
                problems.add(problem(node, "placeholder {" + name + "} in " + what + " names nothing " + type
                        + " has; known: " + fields.known(type), "correct the name (a data field is data.<field>)"));
                ok = false;
            }
        }
        if (ok && key != null && parsed.names().isEmpty()) {
            try {
                ValueRules.apply(key, scalar.getValue());
            } catch (ValueRules.ValueRuleException e) {
                problems.add(problem(node, e.getMessage(), "correct the text"));
                ok = false;
            }
        }
        return ok ? parsed : null;
    }

    private String choice(MappingNode mapping, String key, Set<String> allowed) {
        Node node = value(mapping, key);
        if (node == null) {
            return null;
        }
        String v = node instanceof ScalarNode s ? s.getValue() : "";
        if (!allowed.contains(v)) {
            problems.add(problem(node, key + " '" + v + "' is not one of " + allowed, "use one of " + allowed));
            return null;
        }
        return v;
    }

    private void unknownKeys(MappingNode mapping, Set<String> allowed, String where) {
        for (NodeTuple t : mapping.getValue()) {
            String key = text(t.getKeyNode());
            if (!allowed.contains(key)) {
                problems.add(problem(t.getKeyNode(), "unknown key '" + key + "' " + where, "use one of " + allowed));
            }
        }
    }

    private static Node value(MappingNode mapping, String key) {
        for (NodeTuple t : mapping.getValue()) {
            if (text(t.getKeyNode()).equals(key)) {
                return t.getValueNode();
            }
        }
        return null;
    }

    private static String text(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : "";
    }

    private Problem problem(Node node, String what, String fix) {
        return YamlFiles.problem(file, node, what, fix);
    }
}
