package io.mphub.provider.sensorsdata;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.deliver.BatchEvent;
import io.mphub.deliver.BatchKind;
import io.mphub.provider.EventNames;
import io.mphub.provider.TrackedEvent;

/**
 * A CloudEvent as a Sensors Data {@code track} record (Sensors Data's data format, 数据格式; the keys and limits as
 * sa-sdk-java checks them):
 * <pre>
 * {"_track_id": …, "type": "track", "event": name, "time": ms, "distinct_id": subject,
 *  "lib": {"$lib": "mphub", "$lib_version": …, "$lib_method": "code"},
 *  "properties": {data flattened…, "mphub_event_id": id, "$lib": "mphub", "$lib_version": …}}
 * </pre>
 * <ul>
 * <li>{@code distinct_id}: the CloudEvent's {@code subject} (the user's openid, pseudonymized if the destination's data
 * contract says so), else {@code data.openId};</li>
 * <li>{@code time}: the CloudEvent's {@code time} in epoch milliseconds;</li>
 * <li>{@code _track_id}: the first 32 bits of SHA-256 of the event id, so that every attempt of an event carries the
 * same one (the SDK draws a random int per record); the id itself is property {@code mphub_event_id};</li>
 * <li>properties: {@code data} flattened, nested keys joined with '_' ({@code amount.total} → {@code amount_total});
 * a behaviour's own {@code properties {}} at the top level unless a data field has the name; arrays of plain values as
 * lists of strings, other arrays as JSON text; texts cut at 8,192 characters (as the SDK cuts them); nulls left out;
 * keys made valid (letters, digits and '_', not starting with a digit, at most 100 characters, Sensors Data's
 * reserved names prefixed {@code mp_}).</li>
 * </ul>
 */
final class SensorsDataRecords {

    static final String EVENT_ID = "mphub_event_id";
    static final int MAX_TEXT = 8192;
    static final int MAX_KEY = 100;
    /** sa-sdk-java's KEY_PATTERN: names a property or an event may not have (case-insensitive). */
    private static final Set<String> RESERVED = Set.of("distinct_id", "original_id", "event_id", "time", "properties",
            "id", "first_id", "second_id", "users", "events", "event", "user_id", "date", "datetime");
    private static final Pattern RESERVED_PREFIX = Pattern.compile("^(user_group|user_tag).*");


    private final ObjectMapper mapper;
    private final EventNames names;
    private final String version;

    SensorsDataRecords(ObjectMapper mapper, EventNames names, String version) {
        this.mapper = mapper;
        this.names = names;
        this.version = version;
    }

    /** The event as the core takes it ({@link io.mphub.deliver.BatchKind#encode}). */
    BatchKind.Encoded encode(BatchEvent event) {
        return record(event).encoded(mapper);
    }

    TrackedEvent.Built record(BatchEvent event) {
        TrackedEvent.Read read = TrackedEvent.read(mapper, event, "Sensors Data's distinct_id",
                "Sensors Data's time");
        if (read.problem() != null) {
            return new TrackedEvent.Built(null, read.problem());
        }
        TrackedEvent e = read.event();
        ObjectNode record = mapper.createObjectNode();
        record.put("_track_id", trackId(event.id()));
        record.put("type", "track");
        record.put("event", names.of(e.type()));
        record.put("time", e.time().toEpochMilli());
        record.put("distinct_id", e.user());
        record.putObject("lib").put("$lib", "mphub").put("$lib_version", version).put("$lib_method", "code");
        ObjectNode properties = record.putObject("properties");
        flattenData(e.data(), properties);
        properties.put(EVENT_ID, event.id());
        properties.put("$lib", "mphub");
        properties.put("$lib_version", version);
        return new TrackedEvent.Built(record, null);
    }

    private void flattenData(JsonNode data, ObjectNode into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getKey().equals("properties") || !field.getValue().isObject()) {
                flatten(field.getKey(), field.getValue(), into);
            }
        }
        JsonNode own = data.path("properties");
        if (own.isObject()) {
            ObjectNode mine = mapper.createObjectNode();
            own.fields().forEachRemaining(f -> flatten(f.getKey(), f.getValue(), mine));
            mine.fields().forEachRemaining(f -> into.set(into.has(f.getKey()) ? key("properties_" + f.getKey())
                    : f.getKey(), f.getValue()));
        }
    }

    private void flatten(String path, JsonNode value, ObjectNode into) {
        if (value.isObject()) {
            value.fields().forEachRemaining(f -> flatten(path + "_" + f.getKey(), f.getValue(), into));
        } else if (value.isArray()) {
            boolean plain = true;
            for (JsonNode item : value) {
                plain &= item.isValueNode() && !item.isNull();
            }
            if (plain) {
                ArrayNode list = into.putArray(key(path));
                value.forEach(item -> list.add(cut(item.asText())));
            } else {
                into.put(key(path), cut(value.toString()));
            }
        } else if (value.isTextual()) {
            into.put(key(path), cut(value.asText()));
        } else if (value.isNumber() || value.isBoolean()) {
            into.set(key(path), value);
        }
        // null: left out; Sensors Data has no null value
    }

    /** A valid property name: {@code [A-Za-z_][A-Za-z0-9_]{0,99}}, not reserved; '$' is for Sensors Data's presets. */
    static String key(String raw) {
        String k = raw.replaceAll("[^A-Za-z0-9_]", "_");
        if (k.isEmpty() || Character.isDigit(k.charAt(0))) {
            k = "_" + k;
        }
        String lower = k.toLowerCase(Locale.ROOT);
        if (RESERVED.contains(lower) || RESERVED_PREFIX.matcher(lower).matches()) {
            k = "mp_" + k;
        }
        return k.length() > MAX_KEY ? k.substring(0, MAX_KEY) : k;
    }

    /** Sensors Data's event and property names: letters, digits, '_' and '$', not starting with a digit, ≤ 100. */
    static String nameProblem(String name) {
        if (!name.matches("[A-Za-z_$][A-Za-z0-9_$]{0,99}")) {
            return "is not a Sensors Data name (letters, digits, '_' and '$', not starting with a digit, at most 100)";
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (RESERVED.contains(lower) || RESERVED_PREFIX.matcher(lower).matches()) {
            return "is a name Sensors Data reserves";
        }
        return null;
    }

    private static String cut(String text) {
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    }

    /** The same int for the same event id on every attempt and replica. */
    static int trackId(String eventId) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(eventId.getBytes(UTF_8))).getInt();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JRE has SHA-256
        }
    }

}
