package io.mphub.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PooledHttpClientTest {

    private HttpServer server;
    private final PooledHttpClient client = new PooledHttpClient(Duration.ofSeconds(2), 4);
    private final Map<String, List<String>> lastHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private volatile String lastMethod;
    private volatile byte[] lastBody;
    private final Set<Integer> remotePorts = ConcurrentHashMap.newKeySet();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/echo", this::echo);
        server.createContext("/slow", exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        client.close();
        server.stop(0);
    }

    private void echo(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            lastBody = in.readAllBytes();
            lastMethod = exchange.getRequestMethod();
            synchronized (lastHeaders) {
                lastHeaders.clear();
                lastHeaders.putAll(exchange.getRequestHeaders());
            }
            remotePorts.add(exchange.getRemoteAddress().getPort());
            byte[] out = "{\"errcode\":0}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Retry-After", "3");
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(202, out.length);
            exchange.getResponseBody().write(out);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void sendsWhatTheRequestSaysAndNothingOfItsOwnButTheTransportsHeaders() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("/echo")).timeout(Duration.ofSeconds(2))
                .header("Content-Type", "application/cloudevents+json").header("webhook-id", "evt-1")
                .header("webhook-signature", "v1,abc").POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"evt-1\"}"))
                .build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("{\"errcode\":0}");
        assertThat(response.headers().firstValue("retry-after")).hasValue("3");
        assertThat(response.request()).isSameAs(request);
        assertThat(lastMethod).isEqualTo("POST");
        assertThat(new String(lastBody, StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"evt-1\"}");
        assertThat(lastHeaders.keySet()).containsExactlyInAnyOrder("Content-type", "Webhook-id",
                "Webhook-signature", "Host", "Content-length", "User-agent", "Connection");
        assertThat(lastHeaders.get("User-agent")).containsExactly("mphub");
        assertThat(lastHeaders.get("Connection")).containsExactly("keep-alive");
    }

    @Test
    void keepsItsConnectionForTheNextRequest() throws Exception {
        for (int i = 0; i < 20; i++) {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(202);
        }
        assertThat(remotePorts).hasSize(1);
        assertThat(lastBody).containsExactly(1, 2, 3);
    }

    @Test
    void aBodyOfBytesArrivesWholeThroughThisClientAndTheJdks() throws Exception {
        // Larger than the 16 KiB pieces the JDK's own publisher cuts, and not a repeating pattern.
        byte[] bytes = new byte[100_003];
        new Random(7).nextBytes(bytes);
        byte[] sent = bytes.clone();
        HttpClient jdk = HttpClient.newHttpClient();
        for (HttpClient http : List.of(client, jdk)) {
            lastBody = null;
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri("/echo"))
                    .POST(PooledHttpClient.ofBytes(bytes)).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(lastBody).as("through %s", http.getClass().getSimpleName()).isEqualTo(sent);
            assertThat(lastHeaders.get("Content-length")).containsExactly("100003");
        }
        assertThat(bytes).isEqualTo(sent);
    }

    @Test
    void aRequestWithoutABodySendsNone() throws Exception {
        client.send(HttpRequest.newBuilder(uri("/echo")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(lastMethod).isEqualTo("HEAD");
        assertThat(lastHeaders).doesNotContainKey("Content-length");
    }

    @Test
    void anAnswerLaterThanTheRequestsTimeoutIsTheJdksTimeout() {
        HttpRequest request = HttpRequest.newBuilder(uri("/slow")).timeout(Duration.ofMillis(300))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofByteArray()))
                .isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void aRefusedConnectionIsAConnectException() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closed + "/x"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofByteArray()))
                .isInstanceOf(ConnectException.class);
    }
}
