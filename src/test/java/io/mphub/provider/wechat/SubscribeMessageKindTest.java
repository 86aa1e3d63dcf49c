package io.mphub.provider.wechat;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.deliver.Destination;
import io.mphub.deliver.HttpAnswers;
import io.mphub.deliver.Outcome;
import io.mphub.deliver.RetryPolicy;
import io.mphub.privacy.DataContract;
import io.mphub.provider.ProviderCall;
import io.mphub.testing.Events;
import io.mphub.testing.TestClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One attempt of kind wechat-subscribe-message whose request never gets an answer. The access token travels in the
 * request's query, and a network failure's message may quote that URI: the outcome (which becomes the dead letter's
 * {@code mphub.error.message}) must not carry it.
 */
class SubscribeMessageKindTest {

    private static final String APP = "wx00000000000000a1";
    private static final String TOKEN = "TOKEN-1-SECRETLOOKING";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final TestClock clock = TestClock.fixed(Instant.parse("2026-03-01T02:00:00Z"));
    private SubscribeMessageKind kind;

    @BeforeEach
    void kind() throws IOException {
        Path file = dir.resolve("subscribe-messages.yaml");
        Files.writeString(file, """
                templates:
                  mp.order.shipped:
                    template_id: "T-SHIPPED"
                    data:
                      character_string1: "{data.orderId}"
                      thing2: "{data.carrier}"
                """);
        List<Problem> problems = new ArrayList<>();
        MessageTemplates templates = MessageTemplatesFile.load(file, EventFields.load(Path.of("schemas"), JSON),
                Set.of(APP), problems).orElseThrow(() -> new AssertionError(problems));
        AccessTokens tokens = new AccessTokens(Set.of(APP),
                (app, force) -> new AccessToken(TOKEN, clock.instant().plusSeconds(7200)), clock,
                Duration.ofMinutes(5), Duration.ofMinutes(10), new SimpleMeterRegistry());
        Destination notifications = new Destination("notifications", WeChatProvider.SUBSCRIBE_MESSAGE,
                URI.create("https://api.weixin.qq.com"), 10, Duration.ofSeconds(5),
                new RetryPolicy(3, Duration.ofMillis(500), 2.0, Duration.ofSeconds(30)), DataContract.WHOLE);
        kind = new SubscribeMessageKind(notifications, templates, new WeChatApi(tokens,
                new ProviderCall(new HttpAnswers(clock)), JSON), new WeChatAnswers(new QuotaWindows(clock)), JSON);
    }

    @Test
    void networkFailureQuotingTheRequestUriKeepsTheTokenOutOfTheOutcome() throws Exception {
        FailingHttpClient http = new FailingHttpClient(uri -> new IOException("proxy refused POST " + uri));

        Outcome outcome = kind.attempt(http, "sm-1", shipped());

        assertThat(http.requested).singleElement().satisfies(uri -> assertThat(uri.getQuery())
                .as("the failure under test does quote the token").isEqualTo("access_token=" + TOKEN));
        assertThat(outcome).isEqualTo(new Outcome.Retry("connection", "IOException", null));
        assertThat(outcome.toString()).doesNotContain("SECRETLOOKING");
    }

    @Test
    void timeoutQuotingTheRequestUriKeepsTheTokenOutOfTheOutcome() throws Exception {
        FailingHttpClient http = new FailingHttpClient(uri -> new HttpTimeoutException("timed out: " + uri));

        Outcome outcome = kind.attempt(http, "sm-2", shipped());

        assertThat(http.requested).hasSize(1);
        assertThat(outcome).isEqualTo(new Outcome.Retry("timeout", "HttpTimeoutException", null));
    }

    private static byte[] shipped() {
        return Events.structured("sm-1", "mp.order.shipped", "oUser1", "{\"appId\":\"" + APP + "\",\"orderId\":\"SHIP01\","
                + "\"openId\":\"oUser1\",\"carrier\":\"shunfeng\",\"waybillNo\":\"SF1\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** A client whose every request fails before an answer, with the exception the test makes from the URI. */
    private static final class FailingHttpClient extends HttpClient {
        final List<URI> requested = new CopyOnWriteArrayList<>();
        private final Function<URI, IOException> failure;

        FailingHttpClient(Function<URI, IOException> failure) {
            this.failure = failure;
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
            requested.add(request.uri());
            throw failure.apply(request.uri());
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            requested.add(request.uri());
            return CompletableFuture.failedFuture(failure.apply(request.uri()));
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                HttpResponse.PushPromiseHandler<T> push) {
            return sendAsync(request, handler);
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return Optional.empty();
        }

        @Override
        public Redirect followRedirects() {
            return Redirect.NEVER;
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return Optional.empty();
        }

        @Override
        public SSLContext sslContext() {
            return null;
        }

        @Override
        public SSLParameters sslParameters() {
            return null;
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return Optional.empty();
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }

        @Override
        public Optional<Executor> executor() {
            return Optional.empty();
        }
    }
}
