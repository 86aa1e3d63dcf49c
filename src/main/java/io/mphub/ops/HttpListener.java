package io.mphub.ops;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mphub.callback.Callback;
import io.mphub.ops.Health;
import org.apache.camel.util.concurrent.CamelThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.mphub.ops.HttpExchanges.JSON;
import static io.mphub.ops.HttpExchanges.exact;
import static io.mphub.ops.HttpExchanges.respond;

/**
 * The hub's own HTTP port: providers' callbacks under {@code /callbacks/<name>}, {@code /metrics} (Prometheus),
 * {@code /health/live} and {@code /health/ready} ({@code /health} is readiness too). The JDK's server is enough for a
 * few requests a second and adds no dependency.
 */
public final class HttpListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);
    /** Larger bodies are refused (413): no provider's callback comes near it. */
    static final int MAX_BODY = 1 << 20;

    private final HttpServer server;
    private final ExecutorService threads;
    private final MeterRegistry metrics;

    private HttpListener(HttpServer server, ExecutorService threads, MeterRegistry metrics) {
        this.server = server;
        this.threads = threads;
        this.metrics = metrics;
    }

    public static HttpListener start(String host, int port, PrometheusMeterRegistry metrics, Health health,
            Map<String, Callback> callbacks) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        // Callbacks wait for Kafka (at most Results.DEADLINE each): enough threads that /health still answers.
        ExecutorService threads = Executors.newFixedThreadPool(8, new CamelThreadFactory("#name#", "mphub-http", true));
        server.setExecutor(threads);
        HttpListener listener = new HttpListener(server, threads, metrics);
        callbacks.forEach((name, callback) -> {
            server.createContext("/callbacks/" + name, exact(exchange -> listener.callback(name, callback, exchange)));
            calls(metrics, name, "accepted");
        });
        server.createContext("/metrics", exact(exchange -> respond(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", metrics.scrape())));
        server.createContext("/health/live", exact(exchange -> {
            boolean live = health.live();
            respond(exchange, live ? 200 : 503, JSON, live ? "{\"status\":\"UP\"}\n" : "{\"status\":\"DOWN\"}\n");
        }));
        HttpHandler ready = exchange -> {
            Health.Report report = health.readiness();
            respond(exchange, report.ready() ? 200 : 503, JSON, report.json().toPrettyString() + "\n");
        };
        server.createContext("/health/ready", exact(ready));
        server.createContext("/health", exact(ready));
        server.start();
        LOG.info("HTTP listener on port {}: /callbacks/{}, /metrics, /health/live, /health/ready", listener.port(),
                new TreeSet<>(callbacks.keySet()));
        return listener;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void callback(String name, Callback callback, HttpExchange exchange) throws IOException {
        Callback.Answer answer;
        if (!"POST".equals(exchange.getRequestMethod())) {
            answer = Callback.Answer.json(405, "{\"message\":\"POST only\"}", "bad_method", exchange.getRequestMethod());
        } else {
            byte[] body = HttpExchanges.read(exchange.getRequestBody(), MAX_BODY);
            if (body == null) {
                answer = Callback.Answer.json(413, "{\"message\":\"body too large\"}", "too_large", "over " + MAX_BODY);
            } else {
                try {
                    answer = callback.handle(new Callback.Request(exchange.getRequestHeaders(), body,
                            exchange.getRequestURI().getRawQuery()));
                } catch (RuntimeException e) {
                    // Most likely Kafka refused the result: the provider will call again, and nothing is lost.
                    LOG.error("callback {} failed: {}", name, e.toString());
                    answer = Callback.Answer.json(500, "{\"code\":\"FAIL\",\"message\":\"try again\"}", "error",
                            e.getClass().getSimpleName());
                }
            }
        }
        calls(metrics, name, answer.outcome()).increment();
        if (answer.status() >= 400) {
            LOG.warn("callback {} from {} answered {}: {} ({})", name, exchange.getRemoteAddress().getAddress()
                    .getHostAddress(), answer.status(), answer.outcome(), answer.detail());
        } else {
            LOG.debug("callback {} answered {}: {}", name, answer.status(), answer.outcome());
        }
        respond(exchange, answer.status(), answer.contentType(), answer.body());
    }

    private static Counter calls(MeterRegistry metrics, String callback, String outcome) {
        return Counter.builder("mphub.callbacks")
                .description("providers' calls to the hub by callback and outcome (accepted, duplicate, bad_signature,"
                        + " malformed, …)").tags("callback", callback, "outcome", outcome).register(metrics);
    }

    /**
     * Lets the callbacks in flight finish and answer (each is bounded by its publish deadline), then closes the port.
     * (The JDK server's own {@code stop(delay)} waits out the whole delay even when nothing is in flight.)
     */
    @Override
    public void close() {
        threads.shutdown();
        try {
            threads.awaitTermination(6, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
    }
}
