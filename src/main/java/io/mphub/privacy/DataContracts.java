package io.mphub.privacy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.RouteFiles;
import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;

/**
 * Reads the data contract a destination file declares in its template's parameters, and checks it against the event
 * contract's schemas and the destination's kind; each problem names the file and line:
 * <pre>
 * - name: keep           # data fields kept, all others removed (default: all)
 *   value: data.appId, data.openId, data.page
 * - name: drop
 *   value: data.unionId, mphubaddress
 * - name: pseudonymize   # HMAC-SHA256 under mphub.destinations.&lt;name&gt;.pseudonym-key
 *   value: subject, data.openId
 * - name: mask           # 138****1234
 *   value: data.receiverPhone
 * - name: coarsen        # an IP to its /24 or /48, a location to N decimals, an adcode to its city or province
 *   value: data.ip, data.location:2, mphubadcode:city
 * - name: consent        # the scope a user must have granted (mp.user.consent)
 *   value: analytics
 * </pre>
 */
public final class DataContracts {

    public static final String KEEP = "keep";
    public static final String DROP = "drop";
    public static final String PSEUDONYMIZE = "pseudonymize";
    public static final String MASK = "mask";
    public static final String COARSEN = "coarsen";
    public static final String CONSENT = "consent";
    /** The template parameters that are not the data contract's. */
    private static final Set<String> TEMPLATE = Set.of("destination", "concurrency");
    private static final Set<String> RULES = Set.of(KEEP, DROP, PSEUDONYMIZE, MASK, COARSEN, CONSENT);
    /** Where a personal field's kind is said in schemas/ (the event contract's annotation, EventContract.PERSONAL). */
    public static final String PERSONAL = "x-personal";
    /** The personal kinds that identify the user: pseudonymized in one field, none may go out plain. */
    private static final Set<String> USER_IDS = Set.of("openid", "unionid");

    private DataContracts() {
    }

    /**
     * @param fields     every field of the event contract, by path ({@code subject}, {@code data.openId}, …), with its
     *                   schema
     * @param realValues the fields the destination's kind cannot work without, with what it needs each for
     */
    public static DataContract read(Settings.Reader settings, String destination, String kind,
            List<RouteFiles.Parameter> parameters, Map<String, JsonNode> fields, Map<String, String> realValues) {
        Set<String> personal = fields.entrySet().stream().filter(e -> e.getValue().has(PERSONAL))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        Set<String> keep = new LinkedHashSet<>();
        Map<String, FieldRule> rules = new LinkedHashMap<>();
        Map<String, RouteFiles.Found> ruledAt = new LinkedHashMap<>();
        Optional<String> consent = Optional.empty();
        for (RouteFiles.Parameter parameter : parameters) {
            RouteFiles.Found at = parameter.value();
            String name = parameter.name();
            if (TEMPLATE.contains(name)) {
                continue;
            }
            if (!RULES.contains(name)) {
                settings.problem(new Problem(at.where(), "unknown parameter '" + name + "'", "use one of "
                        + new TreeSet<>(RULES) + " (docs/privacy.md), or destination, concurrency"));
                continue;
            }
            if (name.equals(CONSENT)) {
                String scope = at.value().trim();
                if (!scope.matches("[a-z][a-z0-9_]*")) {
                    settings.problem(new Problem(at.where(), "consent scope '" + scope + "' is not a scope name",
                            "name one scope in lower case, e.g. analytics (the name mp.user.consent events grant)"));
                } else {
                    consent = Optional.of(scope);
                }
                continue;
            }
            for (String item : at.value().split(",")) {
                String[] pathAndArgument = item.trim().split(":", 2);
                String path = pathAndArgument[0].trim();
                String argument = pathAndArgument.length > 1 ? pathAndArgument[1].trim() : null;
                if (path.isEmpty()) {
                    continue;
                }
                JsonNode schema = fields.get(path);
                if (schema == null) {
                    settings.problem(new Problem(at.where(), name + ": unknown field '" + path + "'", "use a field of"
                            + " the event contract (schemas/), written as subject, mphubaddress, mphubadcode or"
                            + " data.<field>"));
                    continue;
                }
                if (name.equals(KEEP)) {
                    if (path.indexOf('.') != path.lastIndexOf('.') || !path.startsWith("data.")) {
                        settings.problem(new Problem(at.where(), "keep: '" + path + "' is not a field of data",
                                "keep names fields of data, as data.<field>; to remove another, use drop"));
                    } else {
                        keep.add(path.substring("data.".length()));
                    }
                    continue;
                }
                rule(name, path, argument, schema).ifPresentOrElse(rule -> {
                    RouteFiles.Found before = ruledAt.putIfAbsent(path, at);
                    if (before != null) {
                        settings.problem(new Problem(at.where(), "field '" + path + "' has a rule already ("
                                + before.where() + ")", "give each field one rule"));
                    } else {
                        rules.put(path, rule);
                    }
                }, () -> settings.problem(new Problem(at.where(), name + ": " + cannot(name, path, argument,
                        schema), fixOf(name))));
            }
        }
        // The user's id travels in several fields (subject, data.openId, data.unionId): pseudonymized in one, it must
        // not go out plain in another, or the pseudonym joins straight back to the user.
        Optional<Map.Entry<String, RouteFiles.Found>> pseudonymized = ruledAt.entrySet().stream()
                .filter(e -> rules.get(e.getKey()) instanceof FieldRule.Pseudonymize
                        && USER_IDS.contains(fields.get(e.getKey()).path(PERSONAL).asText()))
                .findFirst();
        if (pseudonymized.isPresent()) {
            for (Map.Entry<String, JsonNode> field : fields.entrySet()) {
                String path = field.getKey();
                boolean removed = rules.get(path) instanceof FieldRule.Drop || path.startsWith("data.")
                        && !keep.isEmpty() && !keep.contains(path.substring("data.".length()));
                if (USER_IDS.contains(field.getValue().path(PERSONAL).asText())
                        && !(rules.get(path) instanceof FieldRule.Pseudonymize) && !removed) {
                    settings.problem(new Problem(pseudonymized.get().getValue().where(), "the contract pseudonymizes "
                            + pseudonymized.get().getKey() + " but sends " + path + ", which holds the same user's id,"
                            + " as it is", "pseudonymize or drop " + path + " too"));
                }
            }
        }
        for (Map.Entry<String, String> real : realValues.entrySet()) {
            String path = real.getKey();
            boolean removed = path.startsWith("data.") && !keep.isEmpty()
                    && !keep.contains(path.substring("data.".length()));
            if (rules.containsKey(path) || removed) {
                RouteFiles.Found at = removed ? parameters.stream().filter(p -> p.name().equals(KEEP))
                        .map(RouteFiles.Parameter::value).findFirst().orElseThrow() : ruledAt.get(path);
                settings.problem(new Problem(at.where(), "destination '" + destination + "' is of kind " + kind
                        + ", which needs the real " + path + " (" + real.getValue() + "), and this contract "
                        + (removed ? "does not keep it" : "has it " + rules.get(path).done()),
                        "leave " + path + " as it is for this destination"));
            }
        }
        Pseudonyms pseudonyms = null;
        if (rules.values().stream().anyMatch(r -> r instanceof FieldRule.Pseudonymize)) {
            Setting<Secret> key = PrivacySettings.PSEUDONYM_KEY.forName(destination);
            pseudonyms = settings.require(key, "destination '" + destination + "' pseudonymizes fields and has no key")
                    .filter(k -> longEnough(settings, key, k)).map(k -> new Pseudonyms(k.value())).orElse(null);
        }
        Setting<String> withoutRecord = PrivacySettings.WITHOUT_RECORD.forName(destination);
        if (consent.isEmpty() && settings.isSet(withoutRecord)) {
            settings.problem(withoutRecord, "applies only to a destination whose file names a consent scope, and"
                    + " destination '" + destination + "' names none", "remove it, or add the parameter consent to its"
                    + " file");
        }
        boolean deliver = consent.isPresent() && settings.get(withoutRecord).equals("deliver");
        return new DataContract(Set.copyOf(keep), Map.copyOf(rules), consent, deliver, pseudonyms,
                Set.copyOf(personal));
    }

    /** Whether a key is long enough; a problem when not. */
    public static boolean longEnough(Settings.Reader settings, Setting<Secret> key, Secret value) {
        if (value.value().getBytes(StandardCharsets.UTF_8).length < Pseudonyms.MIN_KEY_BYTES) {
            settings.problem(key, "is shorter than " + Pseudonyms.MIN_KEY_BYTES + " bytes",
                    "make one with 'openssl rand -base64 32' and set " + key.envName());
            return false;
        }
        return true;
    }

    private static Optional<FieldRule> rule(String name, String path, String argument, JsonNode schema) {
        String type = schema.path("type").asText("");
        String personal = schema.path(PERSONAL).asText("");
        switch (name) {
            case DROP:
                return argument == null ? Optional.of(new FieldRule.Drop()) : Optional.empty();
            case PSEUDONYMIZE:
                return argument == null && type.equals("string") ? Optional.of(new FieldRule.Pseudonymize())
                        : Optional.empty();
            case MASK:
                return argument == null && type.equals("string") ? Optional.of(new FieldRule.Mask()) : Optional.empty();
            default: // COARSEN
                if (personal.equals("ip") && argument == null) {
                    return Optional.of(new FieldRule.Network());
                }
                if (personal.equals("location") && argument != null && argument.matches("[0-6]")) {
                    return Optional.of(new FieldRule.Round(Integer.parseInt(argument)));
                }
                if (personal.equals("adcode") && (argument == null || argument.equals("city")
                        || argument.equals("province"))) {
                    return Optional.of(new FieldRule.Division(!"province".equals(argument)));
                }
                return Optional.empty();
        }
    }

    private static String cannot(String name, String path, String argument, JsonNode schema) {
        if (argument != null && !name.equals(COARSEN)) {
            return "'" + path + ":" + argument + "' takes no argument";
        }
        if (!name.equals(COARSEN)) {
            return "'" + path + "' is not text";
        }
        String personal = schema.path(PERSONAL).asText("");
        return switch (personal) {
            case "location" -> "'" + path + "' needs the decimals to keep, 0 to 6: " + path + ":2";
            case "adcode" -> "'" + path + "' is cut to city or province: " + path + ":city";
            case "ip" -> "'" + path + "' takes no argument (an IPv4 address keeps its /24, an IPv6 one its /48)";
            default -> "'" + path + "' cannot be coarsened (only an IP address, a location and an adcode can)";
        };
    }

    private static String fixOf(String name) {
        return switch (name) {
            case PSEUDONYMIZE, MASK -> name + " applies to text fields; use drop for the others";
            case COARSEN -> "write it as data.ip, data.location:2 or mphubadcode:city; drop what cannot be coarsened";
            default -> "write the field alone, e.g. data.unionId";
        };
    }
}
