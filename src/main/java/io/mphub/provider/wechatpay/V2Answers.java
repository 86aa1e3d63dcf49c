package io.mphub.provider.wechatpay;

import java.util.Map;
import java.util.Set;

import io.mphub.deliver.Outcome;
import io.mphub.sign.Verdict;
import io.mphub.sign.WeChatPayV2Signer;

/**
 * What a WeChat Pay API v2 answer (HTTP 200 with XML) means, all in one place.
 *
 * <ul>
 *   <li>{@code return_code} FAIL: the call itself was refused (signature, format, parameters): permanent,
 *       {@code return_code_FAIL} with {@code return_msg}.</li>
 *   <li>A {@code sign} that does not verify, or a success without one: retried as {@code unverified_response}
 *       (nothing from it is used; a repeated out_trade_no with the same content gets the same prepay_id).
 *       Error answers without a sign are taken as they are, as weixin-java-pay does.</li>
 *   <li>{@code result_code} SUCCESS: delivered.</li>
 *   <li>{@code err_code} SYSTEMERROR, BANKERROR, BIZERR_NEED_RETRY, FREQUENCY_LIMITED ("请使用相同参数再次调用"),
 *       and a refund's INVALID_REQ_TOO_MUCH: retried. Any other ({@code ORDERPAID}, {@code ORDERCLOSED},
 *       {@code OUT_TRADE_NO_USED}, {@code NOAUTH}, {@code NOTENOUGH}, {@code APPID_MCHID_NOT_MATCH},
 *       {@code SIGNERROR}, a refund's {@code TRADE_OVERDUE} or {@code USER_ACCOUNT_ABNORMAL}, …): permanent with
 *       {@code err_code_des} in the message.</li>
 * </ul>
 *
 * <p>The reason (a dead-letter header, and a tag of {@code mphub.delivery.attempts}) is the {@code err_code} only
 * when it is one named here ({@link #RETRIED_CODES}, {@link #PERMANENT_CODES}); any other is {@value #OTHER}, so
 * that an answer cannot add metric series or put its own text into a tag. The code itself, reduced to
 * {@code [0-9A-Za-z_]} and 64 characters, is kept in the message.
 */
final class V2Answers {

    // INVALID_REQ_TOO_MUCH: refunds (申请退款) asked too often
    static final Set<String> RETRIED_CODES = Set.of("SYSTEMERROR", "BANKERROR", "BIZERR_NEED_RETRY", "FREQUENCY_LIMITED",
            "INVALID_REQ_TOO_MUCH");
    // WeChat Pay v2 unified order (统一下单) and refund (申请退款) error codes that a retry cannot fix
    static final Set<String> PERMANENT_CODES = Set.of("ORDERPAID", "ORDERCLOSED", "OUT_TRADE_NO_USED", "NOAUTH",
            "NOTENOUGH", "APPID_NOT_EXIST", "MCHID_NOT_EXIST", "APPID_MCHID_NOT_MATCH", "LACK_PARAMS", "SIGNERROR",
            "INVALID_REQUEST", "XML_FORMAT_ERROR", "REQUIRE_POST_METHOD", "POST_DATA_EMPTY", "NOT_UTF8",
            "TRADE_OVERDUE", "ERROR", "USER_ACCOUNT_ABNORMAL", "INVALID_TRANSACTIONID", "PARAM_ERROR");
    static final String OTHER = "wechatpay_v2_other";
    private static final String SUCCESS = "SUCCESS";

    private final WeChatPayV2Signer signer;
    private final WeChatPayV2Signer.SignType signType;

    V2Answers(WeChatPayV2Signer signer, WeChatPayV2Signer.SignType signType) {
        this.signer = signer;
        this.signType = signType;
    }

    /** @param answer the fields of an HTTP 2xx answer */
    Outcome classify(int status, Map<String, String> answer) {
        if (!SUCCESS.equals(answer.get("return_code"))) {
            return new Outcome.Permanent("return_code_FAIL", "return_code " + answer.get("return_code") + ": "
                    + answer.getOrDefault("return_msg", ""));
        }
        boolean signed = answer.get("sign") != null && !answer.get("sign").isBlank();
        boolean succeeded = SUCCESS.equals(answer.get("result_code"));
        if (signed || succeeded) {
            Verdict verdict = signer.verify(answer, signType);
            if (!verdict.valid()) {
                return new Outcome.Retry("unverified_response", "answer failed sign verification (" + verdict
                        + "); not trusted", null);
            }
        }
        if (succeeded) {
            return new Outcome.Delivered(status);
        }
        String code = answer.getOrDefault("err_code", "");
        String message = "result_code " + answer.get("result_code") + " " + Text.code(code) + ": "
                + answer.getOrDefault("err_code_des", "");
        if (RETRIED_CODES.contains(code)) {
            return new Outcome.Retry(code, message, null);
        }
        if (code.isBlank()) {
            return new Outcome.Permanent("result_code_FAIL", message);
        }
        return new Outcome.Permanent(PERMANENT_CODES.contains(code) ? code : OTHER, message);
    }
}
