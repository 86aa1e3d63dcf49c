package io.mphub.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local Segment HTTP Tracking API ({@code POST /v1/batch}, and {@code /v1/import/}, where analytics-java posts the
 * same batch) for tests. It checks each request as Segment's documentation says, with its own code: the write key by
 * HTTP Basic auth (the key as user name, an empty password) or, as Segment also accepts and analytics-java 3.5 sends
 * it, as {@code writeKey} in the body (401 otherwise); JSON; at most 500 KB per request and 32 KB per message (400,
 * as Segment answers both); at most 2,500 messages; each message with a {@code type}, a {@code messageId}, a
 * {@code userId} or {@code anonymousId}, an ISO-8601 {@code timestamp}, and for a track an {@code event} (400 with
 * what is wrong).
 * <p>
 * Every request is recorded with how it authenticated, what it carried and what it was answered, so that a test (or
 * an IT through the hub) can assert which event ids ({@code messageId}) arrived in which request. It can be told to
 * answer the next requests with a status (429 with or without Retry-After, 500, 401, 413, …), or 400 to any request
 * carrying given message ids (Segment refusing some messages).
 */
public final class SegmentSandbox implements AutoCloseable {

    public static final int MAX_BATCH_BYTES = 500 * 1024;
    public static final int MAX_MESSAGE_BYTES = 32 * 1024;

    /**
     * One request as it arrived.
     *
     * @param auth     {@code basic} or {@code body} (the write key found there), or {@code none}
     * @param body     the JSON body, or null when it was not JSON
     * @param status   what it was answered
     * @param problem  why it was refused (400), or null
     */
    public record Request(String path, String auth, Map<String, String> headers, JsonNode body, List<JsonNode> messages,
            int status, String problem) {

        /** The message ids, in order: the hub's CloudEvent ids. */
        public List<String> eventIds() {
            return messages.stream().map(m -> m.path("messageId").asText(null)).toList();
        }

        public boolean delivered() {
            return status >= 200 && status < 300;
        }
    }

    private record Answer(int status, String retryAfter) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final String writeKey;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Answer> next = new ConcurrentLinkedDeque<>();
    private volatile Set<String> refusedIds = Set.of();

    private SegmentSandbox(String writeKey, int port) throws IOException {
        this.writeKey = writeKey;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/v1/", this::receive);
        server.setExecutor(threads);
        server.start();
    }

    public static SegmentSandbox start(String writeKey) throws IOException {
        return new SegmentSandbox(writeKey, 0);
    }

    public static SegmentSandbox start(String writeKey, int port) throws IOException {
        return new SegmentSandbox(writeKey, port);
    }

    /** The base URL, as a destination's url (the kind adds /v1/batch). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next request (after those already told) is answered {@code status}, whatever it carries if well formed. */
    public SegmentSandbox thenAnswer(int status) {
        return thenAnswer(status, null);
    }

    public SegmentSandbox thenAnswer(int status, String retryAfter) {
        next.add(new Answer(status, retryAfter));
        return this;
    }

    /** A request carrying any of these message ids is answered 400. */
    public void refuse(Set<String> messageIds) {
        this.refusedIds = Set.copyOf(messageIds);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The message ids of every request answered 2xx, in the order they arrived. */
    public List<String> deliveredEventIds() {
        return requests.stream().filter(Request::delivered).flatMap(r -> r.eventIds().stream()).toList();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            String path = exchange.getRequestURI().getPath();
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            if (!"POST".equals(exchange.getRequestMethod()) || !(path.equals("/v1/batch") || path.equals("/v1/import")
                    || path.equals("/v1/import/"))) {
                answer(exchange, new Request(path, "none", headers, null, List.of(), 404, "no such API"), null);
                return;
            }
            JsonNode body;
            try {
                body = json.readTree(bytes);
            } catch (IOException e) {
                body = null;
            }
            List<JsonNode> messages = new ArrayList<>();
            if (body != null && body.path("batch").isArray()) {
                body.get("batch").forEach(messages::add);
            }
            String auth = auth(headers.get("authorization"), body);
            String problem = auth.equals("none") ? null : check(headers, bytes, body, messages);
            if (auth.equals("none")) {
                answer(exchange, new Request(path, auth, headers, body, messages, 401, "no valid write key"), null);
            } else if (problem != null) {
                answer(exchange, new Request(path, auth, headers, body, messages, 400, problem), null);
            } else {
                Answer told = next.poll();
                Set<String> refused = refusedIds;
                boolean refuse = messages.stream().anyMatch(m -> refused.contains(m.path("messageId").asText()));
                int status = told != null ? told.status() : refuse ? 400 : 200;
                answer(exchange, new Request(path, auth, headers, body, messages, status,
                        told == null && refuse ? "refused message" : null), told == null ? null : told.retryAfter());
            }
        }
    }

    /** Basic auth with the write key and an empty password, else the body's writeKey, else none. */
    private String auth(String authorization, JsonNode body) {
        if (authorization != null && authorization.startsWith("Basic ")) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), UTF_8);
                return pair.equals(writeKey + ":") ? "basic" : "none";
            } catch (IllegalArgumentException e) {
                return "none";
            }
        }
        return body != null && writeKey.equals(body.path("writeKey").asText(null)) ? "body" : "none";
    }

    private static String check(Map<String, String> headers, byte[] bytes, JsonNode body, List<JsonNode> messages) {
        if (!headers.getOrDefault("content-type", "").startsWith("application/json")) {
            return "content-type is not application/json";
        }
        if (bytes.length > MAX_BATCH_BYTES) {
            return "batch larger than 500KB";
        }
        if (body == null || !body.path("batch").isArray()) {
            return "not JSON with a batch array";
        }
        if (messages.size() > 2500) {
            return "more than 2500 messages";
        }
        for (JsonNode m : messages) {
            if (m.toString().getBytes(UTF_8).length > MAX_MESSAGE_BYTES) {
                return "message " + m.path("messageId").asText() + " larger than 32KB";
            }
            if (!m.path("type").isTextual() || !m.path("messageId").isTextual()) {
                return "message without type or messageId";
            }
            if (!m.path("userId").isTextual() && !m.path("anonymousId").isTextual()) {
                return "no_user_anon_id";
            }
            if ("track".equals(m.get("type").asText()) && m.path("event").asText("").isBlank()) {
                return "track without event";
            }
            try {
                OffsetDateTime.parse(m.path("timestamp").asText(""));
            } catch (DateTimeParseException e) {
                return "timestamp is not ISO-8601";
            }
        }
        return null;
    }

    private void answer(HttpExchange exchange, Request request, String retryAfter) throws IOException {
        requests.add(request);
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        byte[] bytes = (request.delivered() ? "{\"success\":true}" : "{\"success\":false,\"error\":\""
                + (request.problem() == null ? "HTTP " + request.status() : request.problem()) + "\"}").getBytes(UTF_8);
        exchange.sendResponseHeaders(request.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
