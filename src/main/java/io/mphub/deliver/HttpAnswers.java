package io.mphub.deliver;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import javax.net.ssl.SSLHandshakeException;

/**
 * What an HTTP answer means when the status alone says it (a webhook receiver, or a provider's error status), all in one place: 2xx done; 408, 429, 5xx and network failures worth
 * a retry (429 and 503 with their {@code Retry-After}, RFC 9110 §10.2.3); 413 too large; any other status permanent.
 */
public final class HttpAnswers {

    private final Clock clock;

    public HttpAnswers(Clock clock) {
        this.clock = clock;
    }

    public Outcome classify(int status, Optional<String> retryAfter) {
        if (status >= 200 && status < 300) {
            return new Outcome.Delivered(status);
        }
        if (status == 429 || status == 503) {
            return new Outcome.Retry("http_" + status, "HTTP " + status, retryAfter.flatMap(this::parseRetryAfter).orElse(null));
        }
        if (status == 408) {
            return new Outcome.Retry("timeout", "HTTP 408", null);
        }
        if (status >= 500) {
            return new Outcome.Retry("http_5xx", "HTTP " + status, null);
        }
        if (status == 413) {
            // Too large for the receiver: a batch is split until the event is alone; that event is dead-lettered.
            return new Outcome.Permanent(UndeliverableException.TOO_LARGE, "HTTP 413");
        }
        return new Outcome.Permanent(status >= 400 ? "http_4xx" : "http_" + status / 100 + "xx", "HTTP " + status);
    }

    /**
     * A network failure, told by its class alone: its message can quote the request's URI, and some providers carry
     * credentials in the query (WeChat's {@code access_token}, Qiyu's checksum), which the outcome would take into
     * logs and the dead letter's {@code mphub.error.message}.
     */
    public Outcome classify(IOException failure) {
        if (failure instanceof SSLHandshakeException) {
            return new Outcome.Retry("connection", "SSLHandshakeException: the TLS handshake failed (a certificate the"
                    + " hub does not trust? a receiver behind a private CA needs mphub.https.truststore-location)", null);
        }
        String reason = failure instanceof HttpTimeoutException ? "timeout" : "connection";
        return new Outcome.Retry(reason, failure.getClass().getSimpleName(), null);
    }

    /** Retry-After is either delta-seconds or an HTTP-date. */
    Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(clock.instant(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
