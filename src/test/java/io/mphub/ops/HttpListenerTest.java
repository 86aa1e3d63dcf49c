package io.mphub.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mphub.callback.Callback;
import io.mphub.ops.Health;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HttpListenerTest {

    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient http = HttpClient.newHttpClient();
    private HttpListener listener;
    private volatile boolean ready = true;
    private final Health health = new Health() {
        @Override
        public boolean live() {
            return true;
        }

        @Override
        public Report readiness() {
            return new Report(ready, new ObjectMapper().createObjectNode().put("status", ready ? "UP" : "DOWN"));
        }
    };

    @BeforeEach
    void start() throws Exception {
        listener = HttpListener.start("127.0.0.1", 0, metrics, health, Map.of(
                "echo", request -> Callback.Answer.json(200, "{\"got\":\"" + request.header("X-Probe").orElse("none")
                        + "\"}", "accepted", ""),
                "broken", request -> {
                    throw new IllegalStateException("Kafka refused");
                }));
    }

    @AfterEach
    void stop() {
        listener.close();
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.port() + path))
                .header("x-probe", "case-insensitive").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCallbackAnswersAndIsCountedByOutcome() throws Exception {
        HttpResponse<String> response = post("/callbacks/echo", "{}".getBytes());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"got\":\"case-insensitive\"}");
        assertThat(metrics.get("mphub.callbacks").tags("callback", "echo", "outcome", "accepted").counter().count())
                .isEqualTo(1);
        String scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.port() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(scrape).contains("mphub_callbacks_total{callback=\"echo\",outcome=\"accepted\"} 1.0");
    }

    @Test
    void aFailingCallbackAnswers500SoTheProviderCallsAgain() throws Exception {
        HttpResponse<String> response = post("/callbacks/broken", "{}".getBytes());

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("FAIL");
        assertThat(metrics.get("mphub.callbacks").tags("callback", "broken", "outcome", "error").counter().count())
                .isEqualTo(1);
    }

    @Test
    void anOversizedBodyIsRefusedUnread() throws Exception {
        HttpResponse<String> response = post("/callbacks/echo", new byte[HttpListener.MAX_BODY + 1]);

        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void onlyPostReachesACallback() throws Exception {
        HttpResponse<String> get = get("/callbacks/echo");

        assertThat(get.statusCode()).isEqualTo(405);
    }

    @Test
    void readinessAnswers503WithItsReportWhenTheHubIsNotReadyWhileLivenessStaysUp() throws Exception {
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(get("/health").statusCode()).isEqualTo(200);

        ready = false;

        HttpResponse<String> readiness = get("/health/ready");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        assertThat(readiness.body()).contains("\"status\" : \"DOWN\"");
        assertThat(get("/health").statusCode()).isEqualTo(503);
        HttpResponse<String> liveness = get("/health/live");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("UP");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyTheExactPathReachesACallback() throws Exception {
        HttpResponse<String> response = post("/callbacks/echoX", "{}".getBytes());
        HttpResponse<String> below = post("/callbacks/echo/more", "{}".getBytes());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(below.statusCode()).isEqualTo(404);
        assertThat(metrics.find("mphub.callbacks").counters()).allSatisfy(c -> assertThat(c.count()).isZero());
    }
}
