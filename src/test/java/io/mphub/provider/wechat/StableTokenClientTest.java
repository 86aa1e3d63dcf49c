package io.mphub.provider.wechat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.mphub.config.Secret;
import io.mphub.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The stable_token request as WeChat documents it, and what each kind of answer becomes. */
class StableTokenClientTest {

    private static final String APP = "wx00000000000000a1";
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestClock clock = TestClock.fixed(Instant.parse("2026-03-01T02:00:00Z"));
    private final AtomicReference<JsonNode> request = new AtomicReference<>();
    private final AtomicReference<String> path = new AtomicReference<>();
    private volatile int status = 200;
    private volatile String answer;
    private HttpServer server;
    private StableTokenClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                path.set(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                        + exchange.getRequestHeaders().getFirst("content-type"));
                request.set(JSON.readTree(exchange.getRequestBody()));
                byte[] body = answer.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        client = new StableTokenClient(HttpClient.newHttpClient(),
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), Map.of(APP, new Secret(SECRET)), JSON,
                clock, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void postsTheDocumentedJsonAndCountsExpiryFromTheRequest() throws Exception {
        answer = "{\"access_token\":\"ACCESS_TOKEN\",\"expires_in\":7200}";
        AccessToken token = client.fetch(APP, true);

        assertThat(path.get()).isEqualTo("POST /cgi-bin/stable_token application/json");
        assertThat(request.get().get("grant_type").asText()).isEqualTo("client_credential");
        assertThat(request.get().get("appid").asText()).isEqualTo(APP);
        assertThat(request.get().get("secret").asText()).isEqualTo(SECRET);
        assertThat(request.get().get("force_refresh").isBoolean()).isTrue();
        assertThat(request.get().get("force_refresh").asBoolean()).isTrue();
        assertThat(token.value()).isEqualTo("ACCESS_TOKEN");
        assertThat(token.expiresAt()).isEqualTo(Instant.parse("2026-03-01T04:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource({
            "40013, REJECTED, MPHUB_WECHAT_APP_IDS",
            "40125, REJECTED, MPHUB_WECHAT_APPS_WX00000000000000A1_SECRET",
            "40164, REJECTED, IP whitelist",
            "89503, REJECTED, confirm",
            "45009, DAILY_QUOTA, 45009",
            "45011, MINUTE_QUOTA, 45011",
            "-1, UNAVAILABLE, -1",
            "40002, UNAVAILABLE, 40002"})
    void errcodeInTheAnswerSaysWhatFailedAndNeverTheSecret(int errcode, TokenException.Failure failure, String hint) {
        answer = "{\"errcode\":" + errcode + ",\"errmsg\":\"some reason rid: 6560a1b2\"}";
        TokenException e = catchThrowableOfType(TokenException.class, () -> client.fetch(APP, false));

        assertThat(e.failure()).isEqualTo(failure);
        assertThat(e.reason()).isEqualTo("token_errcode_" + errcode);
        assertThat(e.getMessage()).contains(APP).contains("errcode " + errcode).contains("some reason").contains(hint)
                .doesNotContain(SECRET);
    }

    @Test
    void httpErrorAndGarbageAreUnavailable() {
        status = 502;
        answer = "bad gateway";
        assertThat(catchThrowableOfType(TokenException.class, () -> client.fetch(APP, false)).reason())
                .isEqualTo("token_http_502");
        status = 200;
        answer = "<html>";
        assertThat(catchThrowableOfType(TokenException.class, () -> client.fetch(APP, false)).reason())
                .isEqualTo("token_bad_answer");
        answer = "{\"access_token\":\"\",\"expires_in\":7200}";
        assertThat(catchThrowableOfType(TokenException.class, () -> client.fetch(APP, false)).reason())
                .isEqualTo("token_bad_answer");
    }

    @Test
    void unreachableApiIsUnavailable() {
        server.stop(0);
        TokenException e = catchThrowableOfType(TokenException.class, () -> client.fetch(APP, false));
        assertThat(e.failure()).isEqualTo(TokenException.Failure.UNAVAILABLE);
        assertThat(e.reason()).isEqualTo("token_unreachable");
    }
}
