package io.mphub.provider.segment;

import java.util.Optional;

import io.mphub.config.Settings;
import io.mphub.deliver.BatchOutcome;
import io.mphub.deliver.HttpAnswers;
import io.mphub.deliver.Outcome;
import io.mphub.provider.CodedAnswers;

/**
 * What Segment's (or RudderStack's) {@code /v1/batch} answers, all in one place. Segment's HTTP API documentation
 * ("Errors"): 200 for every request except a payload too large or not JSON, 400; analytics-java retries 5xx and 429
 * and gives up on anything else.
 * <ul>
 * <li>2xx: every message taken;</li>
 * <li>401, 403: the write key is refused, so every batch would fail alike: the destination pauses
 * {@link CodedAnswers#ACCOUNT_REFUSED_WAIT}, reason {@code segment_write_key}, nothing dead-lettered; the message
 * names the setting (never the key);</li>
 * <li>400 and other 4xx: permanent, {@code http_4xx}; 413 {@code too_large}; the core splits the batch until the
 * refused messages are alone;</li>
 * <li>408, 429, 5xx, no answer: retried, 429 and 503 after their {@code Retry-After} when they give one. RudderStack
 * answers 429 without it: the destination's own backoff applies ({@link Outcome.Retry} without a wish).</li>
 * </ul>
 */
final class SegmentAnswers {

    private final HttpAnswers http;
    private final String destination;

    SegmentAnswers(HttpAnswers http, String destination) {
        this.http = http;
        this.destination = destination;
    }

    BatchOutcome classify(int status, Optional<String> retryAfter) {
        return new BatchOutcome.All(switch (status) {
            case 401, 403 -> {
                String key = SegmentProvider.WRITE_KEY.forName(destination).key();
                yield new Outcome.Refused("segment_write_key", "HTTP " + status + ": the write key is refused: set "
                        + Settings.envName(key) + " (" + key + ") to the write key of the source (Segment: the HTTP API"
                        + " source's Settings > API Keys; RudderStack: the source's write key)",
                        CodedAnswers.ACCOUNT_REFUSED_WAIT);
            }
            default -> http.classify(status, retryAfter);
        });
    }
}
