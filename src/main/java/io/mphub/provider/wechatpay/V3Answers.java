package io.mphub.provider.wechatpay;

import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.deliver.HttpAnswers;
import io.mphub.deliver.Outcome;
import io.mphub.sign.Verdict;

/**
 * What a WeChat Pay API v3 answer means, all in one place. WeChat Pay v3 answers with an HTTP status and, on error,
 * {@code {"code": "…", "message": "…"}} (API v3 rules, 错误码): 2xx is success; 5xx is a system error to be retried
 * with the same parameters; 4xx is an error of the request or of the business (order paid or closed, bad
 * parameters, signature, permissions) that a retry cannot fix.
 *
 * <ul>
 *   <li>2xx whose signature verifies: delivered. 2xx that does not verify (missing or bad signature, unknown serial,
 *       5-minute skew, {@code WECHATPAY/SIGNTEST/} probe): retried as {@code unverified_response}. Nothing from it
 *       is used; a retry is safe because WeChat Pay answers a repeated order or refund with the same result, and
 *       it recovers what is transient (a proxy that mangled the answer, a clock briefly off). If it persists
 *       for every order (a platform key missing after a rotation), the destination pauses instead of
 *       dead-lettering every order, until the operator adds the key and restarts; if it persists for one order
 *       while others go through, that order is dead-lettered as {@code retries_exhausted}.</li>
 *   <li>{@code SYSTEM_ERROR}, {@code BANKERROR} ("retry with the same parameters") and 5xx: retried.
 *       {@code FREQUENCY_LIMITED} / 429: retried, after {@code Retry-After} when given.</li>
 *   <li>{@code OPENID_MISMATCH} and {@code INVALID_TRANSACTIONID} come with HTTP 500 but are errors of the request:
 *       permanent.</li>
 *   <li>Any other code ({@code ORDERPAID}, {@code ORDER_CLOSED}, {@code OUT_TRADE_NO_USED}, {@code PARAM_ERROR},
 *       {@code INVALID_REQUEST}, {@code SIGN_ERROR}, {@code APPID_MCHID_NOT_MATCH}, {@code NOAUTH},
 *       {@code NOT_ENOUGH}, …) and any other 4xx: permanent, dead-lettered with WeChat Pay's message.</li>
 * </ul>
 *
 * <p>The reason (a dead-letter header, and a tag of {@code mphub.delivery.attempts}) is the code only when it is one
 * named here ({@link #KNOWN_CODES}); any other code is {@value #OTHER}, so that an answer cannot add metric series
 * or put its own text into a tag. The code itself, reduced to {@code [0-9A-Za-z_]} and 64 characters, is kept in the
 * message: {@code HTTP <status> <code>: <WeChat Pay's message>}.
 */
final class V3Answers {

    // WeChat Pay v3: "系统异常，请用相同参数重新调用" and "请降低请求接口频率"
    static final Set<String> RETRIED_CODES = Set.of("SYSTEM_ERROR", "BANKERROR", "FREQUENCY_LIMITED");
    // WeChat Pay v3 JSAPI order: documented with HTTP 500, yet the request itself is wrong
    static final Set<String> PERMANENT_DESPITE_5XX = Set.of("OPENID_MISMATCH", "INVALID_TRANSACTIONID");
    // WeChat Pay v3 JSAPI order and domestic refund error codes: permanent by their 4xx status
    static final Set<String> PERMANENT_CODES = Set.of("ORDERPAID", "ORDER_CLOSED", "OUT_TRADE_NO_USED", "PARAM_ERROR",
            "INVALID_REQUEST", "SIGN_ERROR", "APPID_MCHID_NOT_MATCH", "MCH_NOT_EXISTS", "NOAUTH", "NO_AUTH",
            "NOT_ENOUGH", "RULE_LIMIT", "TRADE_ERROR", "ORDERNOTEXIST", "RESOURCE_NOT_EXISTS", "USER_ACCOUNT_ABNORMAL");
    static final Set<String> KNOWN_CODES = union(RETRIED_CODES, PERMANENT_DESPITE_5XX, PERMANENT_CODES);
    static final String OTHER = "wechatpay_other";

    private final ObjectMapper mapper;
    private final HttpAnswers http;

    V3Answers(ObjectMapper mapper, HttpAnswers http) {
        this.mapper = mapper;
        this.http = http;
    }

    Outcome classify(WeChatPayV3Client.Reply reply) {
        int status = reply.status();
        if (status / 100 == 2) {
            return reply.verdict() == Verdict.VALID
                    ? new Outcome.Delivered(status)
                    : new Outcome.Retry("unverified_response", "HTTP " + status + " answer failed verification ("
                            + reply.verdict() + "); not trusted", null);
        }
        Error error = error(reply.body());
        String code = error.code();
        String message = "HTTP " + status + (code == null ? "" : " " + Text.code(code))
                + (error.message() == null ? "" : ": " + error.message());
        if (code != null && RETRIED_CODES.contains(code)) {
            Outcome byStatus = http.classify(status, reply.header("Retry-After"));
            return new Outcome.Retry(code, message, byStatus instanceof Outcome.Retry retry ? retry.retryAfter() : null);
        }
        if (code != null && PERMANENT_DESPITE_5XX.contains(code)) {
            return new Outcome.Permanent(code, message);
        }
        Outcome byStatus = http.classify(status, reply.header("Retry-After"));
        if (byStatus instanceof Outcome.Retry retry) {
            return new Outcome.Retry(code != null ? reason(code) : retry.reason(), message, retry.retryAfter());
        }
        String reason = byStatus instanceof Outcome.Permanent permanent ? permanent.reason() : "http_" + status;
        return new Outcome.Permanent(code != null ? reason(code) : reason, message);
    }

    /** A code as a reason: itself when named here, else {@value #OTHER}. */
    private static String reason(String code) {
        return KNOWN_CODES.contains(code) ? code : OTHER;
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        return Arrays.stream(sets).flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());
    }

    /** {@code {"code","message"}} of an error answer; both null when the body is not that (a proxy's HTML page). */
    private Error error(String body) {
        try {
            JsonNode json = mapper.readTree(body);
            if (json != null && json.path("code").isTextual() && !json.path("code").asText().isBlank()) {
                return new Error(json.path("code").asText(), json.path("message").asText(null));
            }
        } catch (IOException notJson) {
            // fall through: classified by status alone
        }
        return new Error(null, null);
    }

    private record Error(String code, String message) {
    }
}
