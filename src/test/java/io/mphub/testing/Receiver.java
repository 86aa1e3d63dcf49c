package io.mphub.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A real local HTTP receiver for one destination. It verifies every request's Standard Webhooks signature with
 * its own verifier, records what arrived (including requests it refused), and answers as the test scripts it:
 * by default 204, or per request through {@link #answer(Function)}.
 */
public final class Receiver implements AutoCloseable {

    /**
     * One request as it arrived.
     *
     * @param eventIds the ids of the events it carried: its webhook-id for one event, each event's own id for a
     *                 CloudEvents batch
     */
    public record Arrival(String method, String webhookId, Map<String, List<String>> headers, byte[] body,
            boolean signatureValid, int answeredStatus, Instant at, List<String> eventIds) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public boolean batch() {
            return BATCH.equals(headers.getOrDefault("Content-type", List.of("")).get(0));
        }
    }

    public static final String BATCH = "application/cloudevents-batch+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The receiver's answer: status and optional headers. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public Answer(int status, Map<String, String> headers) {
            this(status, headers, null);
        }

        public static Answer of(int status) {
            return new Answer(status, Map.of());
        }

        /** A JSON answer. */
        public static Answer json(int status, String body) {
            return new Answer(status, Map.of("content-type", "application/json"), body);
        }
    }

    private final String secret;
    private final WebhookVerifier verifier;
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attemptsById = new ConcurrentHashMap<>();
    private volatile Function<Arrival, Answer> script = a -> Answer.of(204);
    /** As many threads as requests open at once: a script may hold a request open (a receiver answering slowly). */
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private volatile HttpServer server;
    private final int port;
    /** Null: plain http. */
    private final SSLContext tls;

    private Receiver(String secret, int port, SSLContext tls) throws IOException {
        this.secret = secret;
        this.verifier = new WebhookVerifier(secret);
        this.port = port;
        this.tls = tls;
        listen();
    }

    /** A receiver over HTTPS, with the key and certificate of {@code tls}, at https://localhost. */
    public static Receiver startHttps(SSLContext tls) throws IOException {
        return new Receiver(WebhookVerifier.newSecret(), 0, tls);
    }

    public static Receiver start(int port) throws IOException {
        return new Receiver(WebhookVerifier.newSecret(), port, null);
    }

    public static Receiver start() throws IOException {
        return start(0);
    }

    /** (Re)starts listening on the same port: an endpoint that comes back. */
    public synchronized void listen() throws IOException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server == null ? port : port());
        HttpServer s;
        if (tls == null) {
            s = HttpServer.create(address, 0);
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            s = https;
        }
        s.createContext("/", this::handle);
        s.setExecutor(threads);
        s.start();
        server = s;
    }

    /** Stops listening: connections are refused, as with an endpoint that is down. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private int boundPort = -1;

    public int port() {
        if (boundPort < 0) {
            boundPort = server.getAddress().getPort();
        }
        return boundPort;
    }

    public String url() {
        return tls == null ? "http://127.0.0.1:" + port() + "/hook" : "https://localhost:" + port() + "/hook";
    }

    public String secret() {
        return secret;
    }

    public void answer(Function<Arrival, Answer> script) {
        this.script = script;
    }

    /** The event with this id as it first arrived, alone or in a batch. */
    public JsonNode event(String id) throws IOException {
        Arrival arrival = attemptsOf(id).get(0);
        JsonNode body = JSON.readTree(arrival.body());
        if (!body.isArray()) {
            return body;
        }
        for (JsonNode event : body) {
            if (id.equals(event.path("id").asText())) {
                return event;
            }
        }
        throw new IllegalStateException("no event " + id + " in its batch");
    }

    /** The ids of a CloudEvents batch's events; none when it is not one. */
    private static List<String> ids(byte[] body) {
        try {
            List<String> ids = new ArrayList<>();
            JSON.readTree(body).forEach(event -> ids.add(event.path("id").asText()));
            return ids;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** How many times the event with this id had arrived before, counting this one (1 = first). */
    public int attempt(String webhookId) {
        return attemptsById.get(webhookId).get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            var h = exchange.getRequestHeaders();
            String id = h.getFirst("webhook-id");
            boolean valid = verifier.verify(id, h.getFirst("webhook-timestamp"), h.getFirst("webhook-signature"), body,
                    Instant.now().getEpochSecond());
            List<String> events = BATCH.equals(h.getFirst("content-type")) ? ids(body)
                    : id == null ? List.of() : List.of(id);
            events.forEach(e -> attemptsById.computeIfAbsent(e, k -> new AtomicInteger()).incrementAndGet());
            Arrival pending = new Arrival(exchange.getRequestMethod(), id, Map.copyOf(h), body, valid, 0, Instant.now(),
                    events);
            Answer answer = exchange.getRequestMethod().equals("POST")
                    ? (valid ? script.apply(pending) : Answer.of(401))
                    : Answer.of(200);
            arrivals.add(new Arrival(pending.method(), id, pending.headers(), body, valid, answer.status(), pending.at(),
                    events));
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            if (answer.body() == null) {
                exchange.sendResponseHeaders(answer.status(), -1);
            } else {
                byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer.status(), out.length);
                exchange.getResponseBody().write(out);
            }
        }
    }

    /** Every POST that arrived, in order of arrival. */
    public List<Arrival> posts() {
        return arrivals.stream().filter(a -> a.method().equals("POST")).collect(Collectors.toList());
    }

    /** The event ids this receiver accepted (answered 2xx), in order of arrival, those of batches included. */
    public List<String> delivered() {
        return posts().stream().filter(a -> a.answeredStatus() / 100 == 2).flatMap(a -> a.eventIds().stream())
                .toList();
    }

    /** The requests that carried the event with this id, alone or in a batch. */
    public List<Arrival> attemptsOf(String id) {
        return posts().stream().filter(a -> a.eventIds().contains(id)).toList();
    }

    @Override
    public void close() {
        stop();
        threads.shutdownNow();
    }
}
