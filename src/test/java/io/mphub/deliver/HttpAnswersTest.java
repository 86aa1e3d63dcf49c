package io.mphub.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpAnswersTest {

    // Thursday, 1 January 2026, 08:00:00 UTC
    private static final Instant NOW = Instant.parse("2026-01-01T08:00:00Z");

    private final HttpAnswers outcomes = new HttpAnswers(Clock.fixed(NOW, ZoneOffset.UTC));

    private Outcome.Retry retry(int status, String retryAfter) {
        Outcome outcome = outcomes.classify(status, Optional.ofNullable(retryAfter));
        assertThat(outcome).as("HTTP %d", status).isInstanceOf(Outcome.Retry.class);
        return (Outcome.Retry) outcome;
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 202, 204})
    void successIsDelivered(int status) {
        assertThat(outcomes.classify(status, Optional.empty())).isEqualTo(new Outcome.Delivered(status));
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 410, 422})
    void clientErrorIsPermanentWithReasonHttp4xx(int status) {
        Outcome outcome = outcomes.classify(status, Optional.of("5"));

        assertThat(outcome).isInstanceOf(Outcome.Permanent.class);
        Outcome.Permanent permanent = (Outcome.Permanent) outcome;
        assertThat(permanent.reason()).isEqualTo("http_4xx");
        assertThat(permanent.message()).contains(Integer.toString(status));
    }

    @Test
    void payloadTooLargeIsPermanentWithReasonTooLarge() {
        assertThat(outcomes.classify(413, Optional.empty())).isEqualTo(new Outcome.Permanent("too_large", "HTTP 413"));
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 500, 502, 504})
    void serverErrorAndRequestTimeoutAreRetriedWithoutHint(int status) {
        Outcome.Retry retry = retry(status, "5");

        assertThat(retry.retryAfter()).isNull();
        assertThat(retry.message()).contains(Integer.toString(status));
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 503})
    void tooManyRequestsAndUnavailableHonourRetryAfterSeconds(int status) {
        Outcome.Retry retry = retry(status, "120");

        assertThat(retry.reason()).isEqualTo("http_" + status);
        assertThat(retry.retryAfter()).isEqualTo(Duration.ofSeconds(120));
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 503})
    void retryAfterHttpDateIsRelativeToTheClock(int status) {
        assertThat(retry(status, "Thu, 01 Jan 2026 08:01:30 GMT").retryAfter()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void retryAfterIsTrimmedAndZeroIsKept() {
        assertThat(retry(429, " 7 ").retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(retry(429, "0").retryAfter()).isEqualTo(Duration.ZERO);
    }

    @Test
    void retryAfterDateInThePastMeansNoWait() {
        assertThat(retry(503, "Wed, 31 Dec 2025 23:59:59 GMT").retryAfter()).isEqualTo(Duration.ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "", "-5", "1.5", "2026-01-01T08:01:30Z", "Thu, 01 Jan 2026"})
    void unreadableRetryAfterGivesNoHint(String value) {
        Outcome.Retry retry = retry(429, value);

        assertThat(retry.reason()).isEqualTo("http_429");
        assertThat(retry.retryAfter()).isNull();
    }

    @Test
    void missingRetryAfterGivesNoHint() {
        assertThat(retry(503, null).retryAfter()).isNull();
    }

    @Test
    void networkFailureIsRetriedAsConnection() {
        Outcome outcome = outcomes.classify(new ConnectException("Connection refused"));

        assertThat(outcome).isInstanceOf(Outcome.Retry.class);
        Outcome.Retry retry = (Outcome.Retry) outcome;
        assertThat(retry.reason()).isEqualTo("connection");
        assertThat(retry.message()).isEqualTo("ConnectException");
        assertThat(retry.retryAfter()).isNull();
        assertThat(((Outcome.Retry) outcomes.classify(new IOException())).reason()).isEqualTo("connection");
    }

    @Test
    void networkFailureQuotingTheRequestUriKeepsItsQueryOutOfTheOutcome() {
        String uri = "https://api.weixin.qq.com/cgi-bin/message/subscribe/send?access_token=TOKEN-SECRETLOOKING";
        Outcome.Retry retry = (Outcome.Retry) outcomes.classify(new IOException("proxy refused " + uri));
        assertThat(retry.message()).isEqualTo("IOException").doesNotContain("SECRETLOOKING");
    }

    @Test
    void aFailedTlsHandshakeIsRetriedAsConnectionAndSaysWhereTrustIsSet() {
        Outcome.Retry retry = (Outcome.Retry) outcomes.classify(new javax.net.ssl.SSLHandshakeException(
                "PKIX path building failed: unable to find valid certification path to requested target"));
        assertThat(retry.reason()).isEqualTo("connection");
        assertThat(retry.message()).startsWith("SSLHandshakeException: the TLS handshake failed")
                .contains("mphub.https.truststore-location").doesNotContain("PKIX");
    }

    @Test
    void timeoutIsRetriedAsTimeout() {
        assertThat(outcomes.classify(new HttpTimeoutException("request timed out")))
                .isEqualTo(new Outcome.Retry("timeout", "HttpTimeoutException", null));
        assertThat(((Outcome.Retry) outcomes.classify(new HttpConnectTimeoutException("connect timed out"))).reason())
                .isEqualTo("timeout");
    }
}
