package io.mphub.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local Sensors Data data-receiving URL ({@code POST /sa?project=…}) for tests. It reads each request as a
 * collector does, with its own code (sharing none with the hub's kind): a form-URL-encoded body with {@code gzip}
 * and {@code data_list}, Base64-decoded and, for {@code gzip=1}, gunzipped into a JSON array of records; then it
 * checks the project (403 when another), the token when it has one (401), and every record by Sensors Data's data
 * format (400 with what is wrong): {@code type}, {@code distinct_id}, {@code time} in milliseconds, {@code event} and
 * property names (sa-sdk-java's rule), property values (numbers, texts, booleans, lists of texts).
 * <p>
 * Every request is recorded with what it carried and what it was answered, so that a test (or an IT through the
 * hub) can assert which event ids ({@code properties.mphub_event_id}) arrived in which request. It can be told to
 * answer the next requests with a status (429 with a Retry-After, 500, 401, …), to answer 400 to any request that
 * carries given event ids (a collector refusing some records), or 413 above a body size.
 */
public final class SensorsDataSandbox implements AutoCloseable {

    public static final String PATH = "/sa";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]{0,99}");
    private static final Pattern RESERVED = Pattern.compile("(?i)(distinct_id|original_id|event_id|time|properties|id"
            + "|first_id|second_id|users|events|event|user_id|date|datetime|user_group.*|user_tag.*)");

    /**
     * One request as it arrived.
     *
     * @param records the decoded records (empty when the body could not be decoded)
     * @param status  what it was answered
     * @param problem why it was refused (400), or null
     */
    public record Request(Map<String, String> query, Map<String, String> headers, String gzip, List<JsonNode> records,
            int status, String problem) {

        /** The event ids the records carry, in order (the hub's {@code mphub_event_id} property). */
        public List<String> eventIds() {
            return records.stream().map(r -> r.path("properties").path("mphub_event_id").asText(null)).toList();
        }

        public boolean delivered() {
            return status >= 200 && status < 300;
        }
    }

    private record Answer(int status, String retryAfter) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final String project;
    private final String token;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Answer> next = new ConcurrentLinkedDeque<>();
    private volatile Set<String> refusedIds = Set.of();
    private volatile int maxBodyBytes = Integer.MAX_VALUE;

    private SensorsDataSandbox(String project, String token, int port) throws IOException {
        this.project = project;
        this.token = token;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext(PATH, this::receive);
        server.setExecutor(threads);
        server.start();
    }

    /** A collector of {@code project} that wants no token. */
    public static SensorsDataSandbox start(String project) throws IOException {
        return new SensorsDataSandbox(project, null, 0);
    }

    /** @param token the token every request must carry as {@code ?token=}, or null */
    public static SensorsDataSandbox start(String project, String token, int port) throws IOException {
        return new SensorsDataSandbox(project, token, port);
    }

    /** The data-receiving URL of its project, as Sensors Data's 数据接入 page shows one. */
    public String url() {
        return base() + PATH + "?project=" + project;
    }

    /** Scheme, host and port. */
    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next request (after those already told) is answered {@code status}, whatever it carries if well formed. */
    public SensorsDataSandbox thenAnswer(int status) {
        return thenAnswer(status, null);
    }

    public SensorsDataSandbox thenAnswer(int status, String retryAfter) {
        next.add(new Answer(status, retryAfter));
        return this;
    }

    /** A request carrying any of these event ids is answered 400, as a collector refusing a record. */
    public void refuse(Set<String> eventIds) {
        this.refusedIds = Set.copyOf(eventIds);
    }

    /** A body larger than this is answered 413, as the proxy in front of a collector does. */
    public void maxBodyBytes(int bytes) {
        this.maxBodyBytes = bytes;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The event ids of every request answered 2xx, in the order they arrived. */
    public List<String> deliveredEventIds() {
        return requests.stream().filter(Request::delivered).flatMap(r -> r.eventIds().stream()).toList();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            if (!"POST".equals(exchange.getRequestMethod())) {
                answer(exchange, query, headers, null, List.of(), 405, "POST only", null);
                return;
            }
            if (body.length > maxBodyBytes) {
                answer(exchange, query, headers, null, List.of(), 413, null, null);
                return;
            }
            String type = headers.getOrDefault("content-type", "");
            Map<String, String> fields = form(new String(body, UTF_8));
            String gzip = fields.get("gzip");
            List<JsonNode> records = new ArrayList<>();
            String problem = type.startsWith("application/x-www-form-urlencoded") ? decode(fields, records)
                    : "content-type " + type + " is not application/x-www-form-urlencoded";
            if (problem == null) {
                problem = check(records);
            }
            if (problem != null) {
                answer(exchange, query, headers, gzip, records, 400, problem, null);
            } else if (!project.equals(query.get("project"))) {
                answer(exchange, query, headers, gzip, records, 403, null, null);
            } else if (token != null && !token.equals(query.get("token"))) {
                answer(exchange, query, headers, gzip, records, 401, null, null);
            } else {
                Answer told = next.poll();
                if (told != null) {
                    answer(exchange, query, headers, gzip, records, told.status(), null, told.retryAfter());
                } else {
                    Set<String> refused = refusedIds;
                    boolean refuse = records.stream().anyMatch(r -> refused.contains(
                            r.path("properties").path("mphub_event_id").asText()));
                    answer(exchange, query, headers, gzip, records, refuse ? 400 : 200, refuse ? "refused record" : null,
                            null);
                }
            }
        }
    }

    /** data_list: Base64, then GZIP when gzip=1, then a JSON array. */
    private String decode(Map<String, String> fields, List<JsonNode> records) {
        String dataList = fields.get("data_list");
        String gzip = fields.get("gzip");
        if (dataList == null || !("1".equals(gzip) || "0".equals(gzip))) {
            return "data_list or gzip (0 or 1) missing";
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(dataList);
            if ("1".equals(gzip)) {
                try (GZIPInputStream unzip = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                    bytes = unzip.readAllBytes();
                }
            }
            JsonNode array = json.readTree(bytes);
            if (array == null || !array.isArray()) {
                return "data_list is not a JSON array";
            }
            array.forEach(records::add);
            return null;
        } catch (IllegalArgumentException | IOException e) {
            return "data_list does not decode: " + e.getMessage();
        }
    }

    private static String check(List<JsonNode> records) {
        for (JsonNode r : records) {
            if (!"track".equals(r.path("type").asText())) {
                return "type is not track";
            }
            if (!r.path("distinct_id").isTextual() || r.get("distinct_id").asText().isEmpty()
                    || r.get("distinct_id").asText().length() > 255) {
                return "distinct_id missing or longer than 255";
            }
            if (!r.path("time").canConvertToLong() || r.get("time").asLong() < 1_000_000_000_000L) {
                return "time is not epoch milliseconds";
            }
            String event = r.path("event").asText("");
            if (!NAME.matcher(event).matches() || RESERVED.matcher(event).matches()) {
                return "event name '" + event + "' is invalid";
            }
            if (r.has("_track_id") && !r.get("_track_id").isInt()) {
                return "_track_id is not an int";
            }
            if (!r.path("properties").isObject()) {
                return "properties is not an object";
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = r.get("properties").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                if (!NAME.matcher(p.getKey()).matches() || RESERVED.matcher(p.getKey()).matches()) {
                    return "property name '" + p.getKey() + "' is invalid";
                }
                JsonNode v = p.getValue();
                boolean list = v.isArray();
                if (list) {
                    for (JsonNode item : v) {
                        list &= item.isTextual();
                    }
                }
                if (!(v.isNumber() || v.isTextual() || v.isBoolean() || list)) {
                    return "property '" + p.getKey() + "' is not a number, text, boolean or list of texts";
                }
                if (v.isTextual() && v.asText().length() > 8192) {
                    return "property '" + p.getKey() + "' is longer than 8192";
                }
            }
        }
        return null;
    }

    private void answer(HttpExchange exchange, Map<String, String> query, Map<String, String> headers, String gzip,
            List<JsonNode> records, int status, String problem, String retryAfter) throws IOException {
        requests.add(new Request(query, headers, gzip, List.copyOf(records), status, problem));
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        byte[] bytes = problem == null ? new byte[0] : problem.getBytes(UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : raw == null || raw.isEmpty() ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), UTF_8), URLDecoder.decode(pair.substring(eq + 1), UTF_8));
            }
        }
        return fields;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
