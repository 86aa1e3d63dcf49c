package io.mphub.provider.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import io.mphub.deliver.Outcome;
import io.mphub.sign.WeChatPayV2Signer;
import io.mphub.sign.WeChatPayV2Signer.SignType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** WeChat Pay v2 answers: return_code, then the sign, then result_code and err_code. */
class V2AnswersTest {

    private static final String KEY = "192006250b4c09247ec02edce69f6a2d";
    private final WeChatPayV2Signer signer = new WeChatPayV2Signer(KEY);
    private final V2Answers outcomes = new V2Answers(signer, SignType.HMAC_SHA256);

    private Map<String, String> signed(Map<String, String> answer) {
        Map<String, String> result = new HashMap<>(answer);
        result.put("sign", signer.sign(result, SignType.HMAC_SHA256));
        return result;
    }

    private static Map<String, String> success() {
        Map<String, String> answer = new HashMap<>();
        answer.put("return_code", "SUCCESS");
        answer.put("return_msg", "OK");
        answer.put("result_code", "SUCCESS");
        answer.put("appid", "wx1234567890abcdef");
        answer.put("mch_id", "1900009191");
        answer.put("nonce_str", "IITRi8Iabbblz1Jc");
        answer.put("prepay_id", "wx201411101639507cbf6ffd8b0779950874");
        answer.put("trade_type", "JSAPI");
        return answer;
    }

    private static Map<String, String> failure(String code, String description) {
        Map<String, String> answer = new HashMap<>();
        answer.put("return_code", "SUCCESS");
        answer.put("result_code", "FAIL");
        answer.put("err_code", code);
        answer.put("err_code_des", description);
        answer.put("nonce_str", "IITRi8Iabbblz1Jc");
        return answer;
    }

    @Test
    void signedSuccessIsDelivered() {
        assertThat(outcomes.classify(200, signed(success()))).isEqualTo(new Outcome.Delivered(200));
    }

    @Test
    void successWithoutOrWithABadSignIsNotTrusted() {
        assertThat(outcomes.classify(200, success())).isInstanceOf(Outcome.Retry.class)
                .extracting(o -> ((Outcome.Retry) o).reason()).isEqualTo("unverified_response");

        Map<String, String> tampered = signed(success());
        tampered.put("prepay_id", "wx_forged");
        assertThat(((Outcome.Retry) outcomes.classify(200, tampered)).message()).contains("BAD_SIGNATURE");

        Map<String, String> md5 = new HashMap<>(success());
        md5.put("sign", signer.sign(md5, SignType.MD5));
        assertThat(outcomes.classify(200, md5)).isInstanceOf(Outcome.Retry.class);
    }

    @Test
    void systemErrorIsRetried() {
        assertThat(outcomes.classify(200, signed(failure("SYSTEMERROR", "系统错误"))))
                .isEqualTo(new Outcome.Retry("SYSTEMERROR", "result_code FAIL SYSTEMERROR: 系统错误", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ORDERPAID", "ORDERCLOSED", "OUT_TRADE_NO_USED", "NOAUTH", "NOTENOUGH",
            "APPID_MCHID_NOT_MATCH", "SIGNERROR", "LACK_PARAMS"})
    void businessErrorsArePermanentWithTheCode(String code) {
        assertThat(outcomes.classify(200, signed(failure(code, "描述"))))
                .isEqualTo(new Outcome.Permanent(code, "result_code FAIL " + code + ": 描述"));
    }

    @Test
    void anyOtherErrCodeIsWeChatPayV2OtherWithTheSanitisedCodeOnlyInTheMessage() {
        assertThat(outcomes.classify(200, signed(failure("NEW_RULE_2027", "新规则"))))
                .isEqualTo(new Outcome.Permanent("wechatpay_v2_other", "result_code FAIL NEW_RULE_2027: 新规则"));

        String hostile = "<err reason=\"x\">\r\n" + "Z".repeat(100);
        assertThat(outcomes.classify(200, signed(failure(hostile, "d"))))
                .isEqualTo(new Outcome.Permanent("wechatpay_v2_other", "result_code FAIL errreasonx" + "Z".repeat(54) + ": d"));
    }

    @Test
    void failureWithoutAnErrCodeIsResultCodeFail() {
        Map<String, String> answer = failure("", "");
        answer.remove("err_code");

        assertThat(outcomes.classify(200, signed(answer))).isInstanceOf(Outcome.Permanent.class)
                .extracting(o -> ((Outcome.Permanent) o).reason()).isEqualTo("result_code_FAIL");
    }

    @Test
    void unsignedErrorIsTakenAsItIsLikeWeixinJavaPayDoes() {
        // WeChat Pay has been seen answering SYSTEMERROR without sign or ids
        assertThat(outcomes.classify(200, failure("SYSTEMERROR", "system error"))).isInstanceOf(Outcome.Retry.class);
        assertThat(outcomes.classify(200, failure("ORDERPAID", "商户订单已支付")))
                .isEqualTo(new Outcome.Permanent("ORDERPAID", "result_code FAIL ORDERPAID: 商户订单已支付"));
    }

    @Test
    void refusedCallIsPermanentWithReturnMsg() {
        Map<String, String> answer = Map.of("return_code", "FAIL", "return_msg", "签名错误");

        assertThat(outcomes.classify(200, answer))
                .isEqualTo(new Outcome.Permanent("return_code_FAIL", "return_code FAIL: 签名错误"));
    }
}
