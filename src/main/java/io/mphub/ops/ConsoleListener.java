package io.mphub.ops;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.mphub.config.Secret;
import io.mphub.deadletter.ReplayRequest;
import io.mphub.deliver.DeliveryLog;
import org.apache.camel.util.concurrent.CamelThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.mphub.ops.HttpExchanges.JSON;
import static io.mphub.ops.HttpExchanges.exact;
import static io.mphub.ops.HttpExchanges.respond;

/**
 * The operators' listener, apart from the callback port (which faces the internet): the console page at {@code /},
 * and its JSON API under {@code /api/}. Looking needs nothing; every action that changes something (pause, resume,
 * replay) needs the operator token as {@code Authorization: Bearer <token>}, compared in constant time and never
 * logged. Without a token set, the console takes no action at all.
 * <ul>
 * <li>{@code GET /api/overview}: every destination and ingest, as the page shows them;</li>
 * <li>{@code GET /api/deliveries?destination=&outcome=&event=&limit=}: the delivery log, newest first;</li>
 * <li>{@code POST /api/destinations/<name>/pause} ({@code {"why": "…"}}) and {@code …/resume};</li>
 * <li>{@code POST /api/replays} ({@code {"destination"|"ingest": true, "reason", "since", "until", "dryRun"}}) and
 * {@code GET /api/replays}.</li>
 * </ul>
 */
public final class ConsoleListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleListener.class);
    private static final int MAX_BODY = 64 * 1024;

    private final HttpServer server;
    private final ExecutorService threads;
    private final Overview overview;
    private final DeliveryLog log;
    private final OperatorActions actions;
    private final Collection<String> ingestTopics;
    private final OperatorToken token;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final String settingsHost;
    private final Predicate<String> hosts;

    private ConsoleListener(HttpServer server, ExecutorService threads, Overview overview, DeliveryLog log,
            OperatorActions actions, Collection<String> ingestTopics, Optional<Secret> token, ObjectMapper mapper,
            Clock clock, String host) {
        this.server = server;
        this.threads = threads;
        this.overview = overview;
        this.log = log;
        this.actions = actions;
        this.ingestTopics = List.copyOf(ingestTopics);
        this.token = new OperatorToken(token);
        this.mapper = mapper;
        this.clock = clock;
        this.settingsHost = host;
        this.hosts = hosts(host);
    }

    /**
     * The Host headers it answers: the loopback names, and the address it listens on (a proxy in front of it sends
     * one of them).
     */
    private static Predicate<String> hosts(String listening) {
        Set<String> names = new HashSet<>(List.of("127.0.0.1", "localhost", "[::1]"));
        names.add((listening.contains(":") ? "[" + listening + "]" : listening).toLowerCase(Locale.ROOT));
        return h -> h != null && names.contains(h.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT));
    }

    public static ConsoleListener start(ConsoleSettings settings, Overview overview, DeliveryLog log,
            OperatorActions actions, Collection<String> ingestTopics, ObjectMapper mapper, Clock clock)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 0);
        ExecutorService threads = Executors.newFixedThreadPool(2, new CamelThreadFactory("#name#", "mphub-console",
                true));
        server.setExecutor(threads);
        ConsoleListener console = new ConsoleListener(server, threads, overview, log, actions, ingestTopics,
                settings.token(), mapper, clock, settings.host());
        server.createContext("/", console.guarded(console::page));
        server.createContext("/console.css", exact(e -> console.asset(e, "console.css", "text/css; charset=utf-8")));
        server.createContext("/console.js", exact(e -> console.asset(e, "console.js",
                "text/javascript; charset=utf-8")));
        server.createContext("/api/overview", exact(console.guarded(e -> console.json(e, 200, overview.now()))));
        server.createContext("/api/deliveries", exact(console.guarded(console::deliveries)));
        server.createContext("/api/destinations/", console.guarded(console::destinationAction));
        server.createContext("/api/replays", exact(console.guarded(console::replays)));
        server.start();
        LOG.info("Operators' console on http://{}:{}/ ({})", settings.host(), console.port(), settings.token().isPresent()
                ? "actions need the operator token" : "view only: no operator token is set (mphub.console.token)");
        return console;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Every request: the browser's protections on (no framing, no sniffing, scripts only from here), a request for
     * another host refused (a page elsewhere that points its own name at 127.0.0.1 cannot read the console: DNS
     * rebinding), and any failure of a handler answered 500 with its message, not a dropped connection.
     */
    private HttpHandler guarded(HttpHandler handler) {
        return exchange -> {
            var headers = exchange.getResponseHeaders();
            headers.set("x-frame-options", "DENY");
            headers.set("x-content-type-options", "nosniff");
            headers.set("referrer-policy", "no-referrer");
            headers.set("content-security-policy", "default-src 'self'; frame-ancestors 'none'");
            if (!hosts.test(exchange.getRequestHeaders().getFirst("host"))) {
                error(exchange, 421, "this console answers for " + settingsHost + " only");
                return;
            }
            try {
                handler.handle(exchange);
            } catch (IOException | RuntimeException e) {
                LOG.warn("console {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        e.toString());
                error(exchange, 500, e.getMessage());
            }
        };
    }

    private void page(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/")) {
            respond(exchange, 404, "text/plain", "not found\n");
            return;
        }
        Map<String, String> q = query(exchange);
        List<DeliveryLog.Attempt> attempts = attempts(q);
        exchange.getResponseHeaders().set("cache-control", "no-store");
        respond(exchange, 200, "text/html; charset=utf-8", ConsolePage.render(overview.now(), attempts, q,
                actions.replays(), token.set(), log.perDestination()));
    }

    private void asset(HttpExchange exchange, String name, String contentType) throws IOException {
        try (InputStream in = ConsoleListener.class.getResourceAsStream("/console/" + name)) {
            respond(exchange, 200, contentType, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private void deliveries(HttpExchange exchange) throws IOException {
        List<DeliveryLog.Attempt> attempts = attempts(query(exchange));
        ObjectNode answer = mapper.createObjectNode().put("keptPerDestination", log.perDestination());
        answer.set("attempts", mapper.valueToTree(attempts));
        json(exchange, 200, answer);
    }

    /** The delivery log, as the query filters it: destination, outcome, event id, limit. */
    private List<DeliveryLog.Attempt> attempts(Map<String, String> q) {
        return log.recent(Optional.ofNullable(q.get("destination")), matching(q), limit(q));
    }

    private static Predicate<DeliveryLog.Attempt> matching(Map<String, String> q) {
        String outcome = q.get("outcome");
        String event = q.get("event");
        return a -> (outcome == null || outcome.equals(a.outcome())) && (event == null || event.equals(a.eventId()));
    }

    private static int limit(Map<String, String> q) {
        try {
            return Math.max(1, Math.min(1000, Integer.parseInt(q.getOrDefault("limit", "100"))));
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    /** POST /api/destinations/<name>/pause or …/resume. */
    private void destinationAction(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getPath().substring("/api/destinations/".length()).split("/");
        if (parts.length != 2 || !(parts[1].equals("pause") || parts[1].equals("resume"))) {
            error(exchange, 404, "use POST /api/destinations/<name>/pause or /resume");
            return;
        }
        if (!actions.knows(parts[0])) {
            error(exchange, 404, "no destination '" + parts[0] + "'; the destinations are " + overview.destinations());
            return;
        }
        String by = authorised(exchange);
        if (by == null) {
            return;
        }
        if (parts[1].equals("pause")) {
            JsonNode body = body(exchange);
            // Shown on the page and logged: one line of printable text, not too long.
            String why = body.path("why").asText("").replaceAll("\\p{Cntrl}", " ").strip();
            why = why.length() > 200 ? why.substring(0, 200) + "…" : why;
            actions.pause(parts[0], why.isEmpty() ? "maintenance" : why, by);
        } else {
            actions.resume(parts[0], by);
        }
        json(exchange, 200, overview.now().destinations().stream().filter(d -> d.name().equals(parts[0])).findFirst()
                .orElseThrow());
    }

    /** GET lists the replays this replica ran; POST starts one. */
    private void replays(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("GET")) {
            json(exchange, 200, actions.replays());
            return;
        }
        String by = authorised(exchange);
        if (by == null) {
            return;
        }
        JsonNode body = body(exchange);
        String destination = body.path("destination").asText("");
        boolean ingest = body.path("ingest").asBoolean(false);
        if (ingest == !destination.isEmpty()) {
            error(exchange, 400, "name a destination, or ingest: true");
            return;
        }
        if (!ingest && !actions.knows(destination)) {
            error(exchange, 400, "no destination '" + destination + "'; the destinations are " + overview.destinations());
            return;
        }
        ReplayRequest request;
        try {
            request = ReplayRequest.of(ingest ? null : destination, ingestTopics, body.path("reason").asText(null),
                    body.path("since").asText(null), body.path("until").asText(null),
                    body.path("dryRun").asBoolean(false), clock.instant());
        } catch (IllegalArgumentException e) {
            error(exchange, 400, e.getMessage());
            return;
        }
        String id = actions.replay(request, by);
        json(exchange, 202, mapper.createObjectNode().put("id", id).put("topic", request.topic()));
    }

    /**
     * Who is acting, when the request is a POST with the operator token; otherwise answers it (405, 403 or 401) and
     * returns null.
     */
    private String authorised(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            error(exchange, 405, "POST only");
            return null;
        }
        OperatorToken.Verdict verdict = token.check(exchange.getRequestHeaders().getFirst("authorization"));
        switch (verdict) {
            case GOOD -> {
                return "operator at " + exchange.getRemoteAddress().getAddress().getHostAddress();
            }
            case OFF -> error(exchange, 403, "operator actions are off: no operator token is set"
                    + " (mphub.console.token, MPHUB_CONSOLE_TOKEN)");
            default -> {
                LOG.warn("console: {} {} refused: {} operator token", exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(), verdict == OperatorToken.Verdict.MISSING ? "no" : "a wrong");
                error(exchange, 401, "the operator token is missing or wrong");
            }
        }
        return null;
    }

    private JsonNode body(HttpExchange exchange) throws IOException {
        byte[] body = HttpExchanges.read(exchange.getRequestBody(), MAX_BODY);
        if (body == null || body.length == 0) {
            return mapper.createObjectNode();
        }
        return mapper.readTree(body);
    }

    private void json(HttpExchange exchange, int status, Object value) throws IOException {
        respond(exchange, status, JSON, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n");
    }

    private void error(HttpExchange exchange, int status, String message) throws IOException {
        json(exchange, status, mapper.createObjectNode().put("message", message));
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> q = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8).trim();
                if (!value.isEmpty()) {
                    q.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8), value);
                }
            }
        }
        return q;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
