package io.mphub.provider.wechat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a template placeholder may name, read from the event contract ({@code schemas/}): the envelope attributes
 * {@code id}, {@code source}, {@code type}, {@code time}, {@code subject}, and per event type every scalar field of
 * {@code data} its schema declares ({@code data.carrier}, {@code data.latest.context}). A placeholder naming
 * anything else would be empty in every message, so start-up refuses it.
 */
public final class EventFields {

    static final Set<String> ATTRIBUTES = Set.of("id", "source", "type", "time", "subject");
    private static final String BEHAVIOUR_PREFIX = "mp.behaviour.";

    /** schema name (type, or mp.behaviour) → scalar data paths */
    private final Map<String, Set<String>> fields;

    EventFields(Map<String, Set<String>> fields) {
        this.fields = fields;
    }

    public static EventFields load(Path schemasDir, ObjectMapper mapper) throws IOException {
        Map<String, Set<String>> fields = new TreeMap<>();
        try (Stream<Path> files = Files.list(schemasDir)) {
            for (Path file : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.json$", "");
                if (!name.equals("cloudevent")) {
                    Set<String> paths = new TreeSet<>();
                    collect(mapper.readTree(file.toFile()), "data", paths);
                    fields.put(name, paths);
                }
            }
        }
        return new EventFields(fields);
    }

    private static void collect(JsonNode schema, String prefix, Set<String> paths) {
        schema.path("properties").fields().forEachRemaining(property -> {
            String path = prefix + "." + property.getKey();
            String type = property.getValue().path("type").asText("");
            if (type.equals("object")) {
                collect(property.getValue(), path, paths);
            } else if (!type.equals("array")) {
                paths.add(path);
            }
        });
    }

    public boolean knows(String type) {
        return fields.containsKey(schemaName(type));
    }

    public boolean names(String type, String placeholder) {
        return ATTRIBUTES.contains(placeholder) || fields.getOrDefault(schemaName(type), Set.of()).contains(placeholder);
    }

    /** For messages: what a placeholder of this type may name. */
    public String known(String type) {
        return "id, source, type, time, subject, " + String.join(", ", fields.getOrDefault(schemaName(type), Set.of()));
    }

    public String knownTypes() {
        return String.join(", ", fields.keySet().stream()
                .map(n -> n.equals("mp.behaviour") ? BEHAVIOUR_PREFIX + "*" : n).toList());
    }

    private static String schemaName(String type) {
        return type.startsWith(BEHAVIOUR_PREFIX) ? "mp.behaviour" : type;
    }
}
