package io.mphub.provider;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.deliver.HttpAnswers;
import io.mphub.deliver.Outcome;

/**
 * The answers of a provider that says how a call went in a result code inside a 2xx JSON body (Kuaidi100's
 * {@code returnCode}, Qiyu's {@code code}). A non-2xx status is classified like a webhook's (5xx, 408, 429 retried);
 * a 2xx without the code is retried, since the calls that use this are harmless to repeat; the code itself is the
 * provider's to classify.
 */
public final class CodedAnswers {

    /**
     * How long a destination waits when the provider refuses the hub's own account (a wrong key or secret, the
     * clock off, no permission): every event would fail alike until an operator fixes a setting, so rather than
     * dead-letter the whole stream the destination pauses for this window without spending an attempt, then tries
     * the same event again. Ten minutes: one call and one ERROR per window while the setting is wrong, and the
     * events go out soon after a fix (at once after a restart).
     */
    public static final Duration ACCOUNT_REFUSED_WAIT = Duration.ofMinutes(10);

    private final ObjectMapper mapper;
    private final HttpAnswers http;
    private final String provider;
    private final String codeField;

    public CodedAnswers(ObjectMapper mapper, HttpAnswers http, String provider, String codeField) {
        this.mapper = mapper;
        this.http = http;
        this.provider = provider;
        this.codeField = codeField;
    }

    /** @param byCode the outcome of a code, given the code and the whole answer */
    public Outcome classify(int status, Optional<String> retryAfter, byte[] body, BiFunction<String, JsonNode, Outcome> byCode) {
        if (status < 200 || status >= 300) {
            return http.classify(status, retryAfter);
        }
        JsonNode answer;
        try {
            answer = mapper.readTree(body);
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.path(codeField).isValueNode()) {
            return new Outcome.Retry("unreadable_answer", "HTTP " + status + " without " + provider + "'s " + codeField,
                    null);
        }
        return byCode.apply(answer.get(codeField).asText(), answer);
    }

    /** A code as a dead-letter reason suffix: letters and digits only. */
    public static String reasonPart(String code) {
        return code.replaceAll("[^0-9A-Za-z]", "");
    }
}
