package io.mphub.provider.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.deliver.HttpAnswers;
import io.mphub.deliver.Outcome;
import io.mphub.sign.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** WeChat Pay v3 answers as its error code table (API v3 rules, 错误码) says they should be treated. */
class V3AnswersTest {

    private final V3Answers outcomes = new V3Answers(new ObjectMapper(), new HttpAnswers(Clock.systemUTC()));

    private static WeChatPayV3Client.Reply reply(int status, String body, Verdict verdict, Map<String, List<String>> headers) {
        return new WeChatPayV3Client.Reply(status, HttpHeaders.of(headers, (a, b) -> true), body, verdict);
    }

    private static WeChatPayV3Client.Reply error(int status, String code, String message) {
        return reply(status, "{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}", null, Map.of());
    }

    @Test
    void verifiedSuccessIsDelivered() {
        assertThat(outcomes.classify(reply(200, "{\"prepay_id\":\"wx1\"}", Verdict.VALID, Map.of())))
                .isEqualTo(new Outcome.Delivered(200));
    }

    @ParameterizedTest
    @EnumSource(value = Verdict.class, names = "VALID", mode = EnumSource.Mode.EXCLUDE)
    void successThatDoesNotVerifyIsRetriedAndNotTrusted(Verdict verdict) {
        Outcome outcome = outcomes.classify(reply(200, "{\"prepay_id\":\"wx1\"}", verdict, Map.of()));

        assertThat(outcome).isInstanceOf(Outcome.Retry.class);
        assertThat(((Outcome.Retry) outcome).reason()).isEqualTo("unverified_response");
        assertThat(((Outcome.Retry) outcome).message()).contains(verdict.name());
    }

    @ParameterizedTest
    @CsvSource({
            "500, SYSTEM_ERROR, 系统异常，请用相同参数重新调用",
            "500, BANKERROR, 银行系统异常",
            "429, FREQUENCY_LIMITED, 频率超限",
            "503, SYSTEM_ERROR, 系统繁忙",
    })
    void systemErrorsAndRateLimitsAreRetriedUnderTheirCode(int status, String code, String message) {
        Outcome outcome = outcomes.classify(error(status, code, message));

        assertThat(outcome).isEqualTo(new Outcome.Retry(code, "HTTP " + status + " " + code + ": " + message, null));
    }

    @Test
    void rateLimitHonoursRetryAfter() {
        Outcome outcome = outcomes.classify(reply(429, "{\"code\":\"FREQUENCY_LIMITED\",\"message\":\"频率超限\"}", null,
                Map.of("Retry-After", List.of("3"))));

        assertThat(((Outcome.Retry) outcome).retryAfter()).isEqualTo(Duration.ofSeconds(3));
    }

    @ParameterizedTest
    @CsvSource({
            "403, ORDERPAID, 该订单已支付",
            "400, ORDER_CLOSED, 订单已关闭",
            "400, PARAM_ERROR, 参数错误",
            "400, INVALID_REQUEST, 无效请求",
            "401, SIGN_ERROR, 签名错误",
            "403, OUT_TRADE_NO_USED, 商户订单号重复",
            "400, APPID_MCHID_NOT_MATCH, appid和mch_id不匹配",
            "403, NOAUTH, 商户无权限",
            "404, ORDERNOTEXIST, 订单不存在",
            "500, OPENID_MISMATCH, openid和appid不匹配",
            "500, INVALID_TRANSACTIONID, 订单号非法",
    })
    void businessAndRequestErrorsArePermanentWithTheWeChatCode(int status, String code, String message) {
        assertThat(outcomes.classify(error(status, code, message)))
                .isEqualTo(new Outcome.Permanent(code, "HTTP " + status + " " + code + ": " + message));
    }

    @Test
    void everyCodeNamedByTheClassifierIsItsOwnReason() {
        for (String code : V3Answers.PERMANENT_CODES) {
            assertThat(outcomes.classify(error(400, code, "x"))).isEqualTo(new Outcome.Permanent(code, "HTTP 400 " + code + ": x"));
        }
    }

    @Test
    void anyOtherCodeIsWeChatPayOtherWithTheCodeOnlyInTheMessage() {
        assertThat(outcomes.classify(error(403, "NEW_RULE_2027", "新规则")))
                .isEqualTo(new Outcome.Permanent("wechatpay_other", "HTTP 403 NEW_RULE_2027: 新规则"));
        assertThat(outcomes.classify(error(502, "GATEWAY_HICCUP", "稍后重试")))
                .isEqualTo(new Outcome.Retry("wechatpay_other", "HTTP 502 GATEWAY_HICCUP: 稍后重试", null));
    }

    @Test
    void untrustedCodeIsNeverAReasonAndIsQuotedOnlyAsLettersDigitsAndUnderscoresUpTo64() throws Exception {
        String hostile = "x\"} DROP\r\nreason=\"" + "Z".repeat(100);
        String body = new ObjectMapper().createObjectNode().put("code", hostile).put("message", "m").toString();

        Outcome outcome = outcomes.classify(reply(400, body, null, Map.of()));

        assertThat(outcome).isEqualTo(new Outcome.Permanent("wechatpay_other",
                "HTTP 400 " + ("xDROPreason" + "Z".repeat(53)) + ": m"));
    }

    @Test
    void answersWithoutAWeChatBodyAreClassifiedByStatus() {
        assertThat(outcomes.classify(reply(502, "<html>Bad Gateway</html>", null, Map.of())))
                .isEqualTo(new Outcome.Retry("http_5xx", "HTTP 502", null));
        assertThat(outcomes.classify(reply(404, "", null, Map.of())))
                .isEqualTo(new Outcome.Permanent("http_4xx", "HTTP 404"));
    }
}
