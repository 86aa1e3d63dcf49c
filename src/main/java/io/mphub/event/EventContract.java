package io.mphub.event;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.mphub.config.ConfigurationException;
import io.mphub.config.ConfigurationException.Problem;

/**
 * The published event contract: the CloudEvents envelope ({@code schemas/cloudevent.json}) and one JSON Schema
 * per event type ({@code schemas/<type>.json}; every {@code mp.behaviour.*} type shares
 * {@code schemas/mp.behaviour.json}).
 */
public final class EventContract {

    static final String ENVELOPE = "cloudevent";
    static final String BEHAVIOUR_PREFIX = "mp.behaviour.";
    static final String BEHAVIOUR = "mp.behaviour";
    /** The annotation of a personal field in schemas/: its kind (openid, unionid, ip, location, phone, …). */
    public static final String PERSONAL = "x-personal";

    private final JsonSchema envelope;
    private final Map<String, JsonSchema> dataSchemas;

    private EventContract(JsonSchema envelope, Map<String, JsonSchema> dataSchemas) {
        this.envelope = envelope;
        this.dataSchemas = dataSchemas;
    }

    /**
     * The contract of a schemas directory: {@code cloudevent.json} and one {@code <type>.json} per event type.
     *
     * @throws ConfigurationException when the directory or a schema cannot be read
     */
    public static EventContract load(Path dir, ObjectMapper mapper) {
        String fix = "run mphub from its folder, or set " + IngestSettings.SCHEMAS_DIR.key() + " ("
                + IngestSettings.SCHEMAS_DIR.envName() + ")";
        if (!Files.isDirectory(dir)) {
            throw new ConfigurationException(List.of(new Problem(dir.toString(), "the schemas directory does not exist",
                    fix)));
        }
        Set<String> names = new LinkedHashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .filter(n -> !n.equals(ENVELOPE)).sorted().forEach(names::add);
            return load(mapper, names, name -> {
                try {
                    return Files.newInputStream(dir.resolve(name + ".json"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new ConfigurationException(List.of(new Problem(dir.toString(), "a schema cannot be read: "
                    + e.getMessage(), "restore schemas/ from the mphub distribution")));
        }
    }

    /**
     * @param open opens a schema by name ({@code cloudevent}, {@code mp.user.login}, …); null when there is none
     */
    public static EventContract load(ObjectMapper mapper, Set<String> dataSchemaNames, Function<String, InputStream> open)
            throws IOException {
        // x-personal marks a personal field (what destinations' data contracts and the audit name): an annotation
        // of mphub's, never a rule.
        JsonMetaSchema meta = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                .keyword(new AnnotationKeyword(PERSONAL)).build();
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.metaSchema(meta));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(true)
                .build();
        Map<String, JsonSchema> schemas = new HashMap<>();
        for (String name : dataSchemaNames) {
            schemas.put(name, read(factory, config, mapper, open, name));
        }
        return new EventContract(read(factory, config, mapper, open, ENVELOPE), Map.copyOf(schemas));
    }

    private static JsonSchema read(JsonSchemaFactory factory, SchemaValidatorsConfig config, ObjectMapper mapper,
            Function<String, InputStream> open, String name) throws IOException {
        try (InputStream in = open.apply(name)) {
            if (in == null) {
                throw new IOException("schema " + name + ".json not found");
            }
            return factory.getSchema(mapper.readTree(in), config);
        }
    }

    /** Throws {@link RejectedEventException} naming the first broken rules; returns quietly for a good event. */
    public void check(ObjectNode event) {
        failOn(RejectedEventException.ENVELOPE, "", envelope.validate(event));
        String type = event.get("type").asText();
        JsonSchema data = dataSchemas.get(schemaName(type));
        if (data == null) {
            throw new RejectedEventException(RejectedEventException.UNKNOWN_TYPE,
                    "unknown event type '" + type + "'; known types: " + knownTypes());
        }
        failOn(RejectedEventException.SCHEMA, "/data", data.validate(event.get("data")));
    }

    public boolean knows(String type) {
        return dataSchemas.containsKey(schemaName(type));
    }

    String knownTypes() {
        return dataSchemas.keySet().stream().sorted()
                .map(name -> name.equals(BEHAVIOUR) ? BEHAVIOUR_PREFIX + "*" : name)
                .collect(Collectors.joining(", "));
    }

    private static String schemaName(String type) {
        return type.startsWith(BEHAVIOUR_PREFIX) ? BEHAVIOUR : type;
    }

    private static void failOn(String reason, String pathPrefix, Set<ValidationMessage> errors) {
        if (errors.isEmpty()) {
            return;
        }
        String message = errors.stream()
                .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString()))
                .map(m -> describe(pathPrefix, m))
                .collect(Collectors.joining("; "));
        throw new RejectedEventException(reason, message);
    }

    /** "/data/amount/total: string found, integer expected (rule: type)" */
    private static String describe(String pathPrefix, ValidationMessage m) {
        String location = m.getInstanceLocation().toString();
        String path = pathPrefix + (location.isEmpty() ? "" : location);
        String text = m.getMessage();
        // networknt prefixes the message with the instance location; we print our own full path instead.
        if (text.startsWith(location + ": ")) {
            text = text.substring(location.length() + 2);
        } else if (text.startsWith(": ")) {
            text = text.substring(2);
        }
        return (path.isEmpty() ? "/" : path) + ": " + text + " (rule: " + m.getType() + ")";
    }

    /**
     * Every field the contract names, by path: the envelope's attributes ({@code subject}, {@code mphubaddress}, …) and
     * each data schema's properties, nested ones included ({@code data.openId}, {@code data.location.latitude}), each
     * with its schema. Where two types name one path, the schema that marks it personal ({@code x-personal}) wins.
     */
    public Map<String, JsonNode> fields() {
        Map<String, JsonNode> fields = new TreeMap<>();
        envelope.getSchemaNode().path("properties").fields().forEachRemaining(f -> {
            if (!f.getKey().equals("data")) {
                fields.put(f.getKey(), f.getValue());
            }
        });
        dataSchemas.values().forEach(schema -> fields(schema.getSchemaNode(), "data", fields));
        return fields;
    }

    private static void fields(JsonNode schema, String prefix, Map<String, JsonNode> into) {
        schema.path("properties").fields().forEachRemaining(f -> {
            String path = prefix + "." + f.getKey();
            JsonNode known = into.get(path);
            if (known == null || !known.has(PERSONAL) && f.getValue().has(PERSONAL)) {
                into.put(path, f.getValue());
            }
            fields(f.getValue(), path, into);
        });
    }

    /** For tests and tools: the names of the data schemas this contract knows. */
    Set<String> dataSchemaNames() {
        return dataSchemas.keySet();
    }

}
