package io.mphub.provider.tencentads;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.deliver.BatchOutcome;
import io.mphub.deliver.HttpAnswers;
import io.mphub.deliver.Outcome;
import io.mphub.provider.ChinaTime;
import io.mphub.provider.CodedAnswers;

/**
 * What Tencent Ads' {@code user_actions/add} answers, all in one place. The Marketing API answers JSON
 * {@code {code, message, message_cn}}, {@code code} 0 when the request was taken (its error-code page):
 * <ul>
 * <li>11000 (token expired), 11002 (invalid), 11004 (malformed), 11005 (empty), 11007 (the app behind the token is
 * invalid), 11014 (the API is outside what the account authorised): every batch would fail alike, so the destination pauses
 * {@link CodedAnswers#ACCOUNT_REFUSED_WAIT} and the message names the setting;</li>
 * <li>11016 (per-second limit), 11019 (too frequent): retried after a second (an attempt); 11017 (per-minute limit,
 * Tencent blocks for 5 minutes): waits 5 minutes; 11008 (the app's limit): waits a minute; 11018 (per-day limit): waits
 * until midnight in Beijing; these waits spend no attempt;</li>
 * <li>10000 (unable to process now) and 30000-30099 (system exceptions, which Tencent's guide says to retry): retried;
 * </li>
 * <li>any other code: the request is refused because of what it carries, {@code code_<n>}: the core splits the batch
 * until the refused actions are alone, and dead-letters only them;</li>
 * <li>not 2xx, no answer, or no code: as for a webhook (5xx, 429 retried; 4xx permanent).</li>
 * </ul>
 */
final class TencentAdsAnswers {

    private final CodedAnswers coded;
    private final Clock clock;

    TencentAdsAnswers(ObjectMapper mapper, HttpAnswers http, Clock clock) {
        this.coded = new CodedAnswers(mapper, http, "Tencent Ads", "code");
        this.clock = clock;
    }

    BatchOutcome classify(int status, Optional<String> retryAfter, byte[] body) {
        return new BatchOutcome.All(coded.classify(status, retryAfter, body, (code, answer) -> byCode(status, code,
                answer)));
    }

    private Outcome byCode(int status, String text, JsonNode answer) {
        int code;
        try {
            code = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return new Outcome.Retry("unreadable_answer", "Tencent Ads' code is not a number: " + text, null);
        }
        String said = "Tencent Ads code " + code + ": " + answer.path("message").asText("")
                + (answer.path("message_cn").isTextual() ? " (" + answer.path("message_cn").asText() + ")" : "");
        return switch (code) {
            case 0 -> new Outcome.Delivered(status);
            // Tencent's own trouble (10000: unable to process now; 30000-30099: system exceptions): retry
            case 10000 -> new Outcome.Retry("code_10000", said, null);
            case 11000, 11002, 11004, 11005, 11007, 11014 -> new Outcome.Refused("tencentads_token", said + ": set "
                    + TencentAdsSettings.ACCESS_TOKEN.envName() + " (" + TencentAdsSettings.ACCESS_TOKEN.key() + ") to an"
                    + " access token the account authorised for user_actions/add", CodedAnswers.ACCOUNT_REFUSED_WAIT);
            case 11016, 11019 -> new Outcome.Retry("code_" + code, said, Duration.ofSeconds(1));
            case 11008 -> new Outcome.Wait("code_11008", said, Duration.ofMinutes(1));
            case 11017 -> new Outcome.Wait("code_11017", said, Duration.ofMinutes(5));
            case 11018 -> new Outcome.Wait("code_11018", said,
                    Duration.between(clock.instant(), ChinaTime.nextMidnight(clock.instant())));
            default -> code >= 30000 && code <= 30099 ? new Outcome.Retry("code_" + code, said, null)
                    : new Outcome.Permanent("code_" + code, said);
        };
    }
}
