package io.mphub.provider.qiyu;

import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.config.Settings;
import io.mphub.deliver.HttpAnswers;
import io.mphub.deliver.Outcome;
import io.mphub.provider.CodedAnswers;

/**
 * What Qiyu's answer to an open API call means, all in one place. Qiyu answers JSON {@code {"code": 200, …}}
 * (the code a number or a string; {@code message} on errors), with these codes in its message-interface
 * documentation (常见错误码):
 * <ul>
 * <li>200: done;</li>
 * <li>14001 wrong appKey, 14002 checksum mismatch (a wrong app secret), 14003 bad {@code time} (our clock is off),
 * 14515 no permission: the credentials or the clock are wrong, so every call fails alike until an operator fixes
 * them: the destination waits {@link CodedAnswers#ACCOUNT_REFUSED_WAIT} without spending an attempt, reasons
 * {@code qiyu_app_key}, {@code qiyu_checksum}, {@code qiyu_time}, {@code qiyu_permission}, and nothing is
 * dead-lettered; the message names what to fix (never the secret);</li>
 * <li>14004 content not JSON or a field missing: permanent, {@code qiyu_content};</li>
 * <li>14500 Qiyu server error: retried;</li>
 * <li>any other code: permanent, {@code qiyu_<code>}, so that an unknown answer is seen in the dead letter.</li>
 * </ul>
 * A non-2xx HTTP status is classified like a webhook's (5xx, 408, 429 retried); a 2xx without a code is retried,
 * since updating a profile again is harmless.
 */
final class QiyuAnswers {

    private final CodedAnswers answers;

    QiyuAnswers(ObjectMapper mapper, HttpAnswers http) {
        this.answers = new CodedAnswers(mapper, http, "Qiyu", "code");
    }

    Outcome classify(int status, Optional<String> retryAfter, byte[] body) {
        return answers.classify(status, retryAfter, body, (code, answer) -> {
            String message = "code " + code
                    + (answer.path("message").isTextual() ? ": " + answer.get("message").asText() : "");
            return switch (code) {
                case "200" -> new Outcome.Delivered(200);
                case "14001" -> refused("qiyu_app_key", message + "; Qiyu does not know the app key: set "
                        + setting(QiyuSettings.APP_KEY.key()) + " to the appKey of the Qiyu console, Settings > Message API");
                case "14002" -> refused("qiyu_checksum", message + "; the checksum does not match (was the app secret"
                        + " reset?): set " + setting(QiyuSettings.APP_SECRET.key()) + " to the AppSecret of the Qiyu console,"
                        + " Settings > Message API");
                case "14003" -> refused("qiyu_time", message + "; Qiyu refused the time: synchronise this machine's"
                        + " clock (NTP), Qiyu accepts 5 minutes of skew");
                case "14515" -> refused("qiyu_permission", message + "; the app has no permission for updateUInfo:"
                        + " check " + setting(QiyuSettings.APP_KEY.key()) + " and the app's permissions in the Qiyu console");
                case "14004" -> new Outcome.Permanent("qiyu_content", message);
                case "14500" -> new Outcome.Retry("qiyu_server", message, null);
                default -> new Outcome.Permanent("qiyu_" + CodedAnswers.reasonPart(code), message);
            };
        });
    }

    private static Outcome refused(String reason, String message) {
        return new Outcome.Refused(reason, message, CodedAnswers.ACCOUNT_REFUSED_WAIT);
    }

    private static String setting(String key) {
        return Settings.envName(key) + " (" + key + ")";
    }
}
