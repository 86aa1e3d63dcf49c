package io.mphub.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import com.github.binarywang.wxpay.constant.WxPayConstants;
import com.github.binarywang.wxpay.util.SignUtils;
import io.mphub.sign.WeChatPayV2Signer.SignType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WeChatPayV2SignerTest {

    // the vector published for WeChat Pay v2
    private static final String API_KEY = "192006250b4c09247ec02edce69f6a2d";
    private static final Map<String, String> VECTOR = Map.of(
            "appid", "wxd930ea5d5a258f4f",
            "mch_id", "10000100",
            "device_info", "1000",
            "body", "test",
            "nonce_str", "ibuaiVcKdpRxkhJA");

    private final WeChatPayV2Signer signer = new WeChatPayV2Signer(API_KEY);

    @Test
    void md5SignatureMatchesPublishedVector() {
        assertThat(signer.sign(VECTOR, SignType.MD5)).isEqualTo("9A0A8659F005D6984697E2CA0A9CF3B7");
    }

    @Test
    void hmacSha256SignatureMatchesPublishedVector() {
        assertThat(signer.sign(VECTOR, SignType.HMAC_SHA256))
                .isEqualTo("6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6");
    }

    @Test
    void leavesOutEmptyValuesAndSign() {
        Map<String, String> params = new HashMap<>(VECTOR);
        params.put("attach", "");
        params.put("detail", null);
        params.put("sign", "ANYTHING");

        assertThat(signer.sign(params, SignType.MD5)).isEqualTo("9A0A8659F005D6984697E2CA0A9CF3B7");
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void signatureEqualsWeixinJavaPaySignUtils(SignType type) {
        Map<String, String> params = paymentNotification();

        assertThat(signer.sign(params, type))
                .isEqualTo(SignUtils.createSign(params, type.wireName(), API_KEY, null));
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void weixinJavaPayChecksWhatWeSignAndWeAcceptWhatItSigns(SignType type) {
        Map<String, String> ours = paymentNotification();
        ours.put("sign", signer.sign(ours, type));
        assertThat(SignUtils.checkSign(ours, type.wireName(), API_KEY)).isTrue();

        Map<String, String> theirs = paymentNotification();
        theirs.put("sign", SignUtils.createSign(theirs, type.wireName(), API_KEY, null));
        assertThat(signer.verify(theirs, type)).isEqualTo(Verdict.VALID);
    }

    @Test
    void wireNamesAreThoseOfWeixinJavaPay() {
        assertThat(SignType.MD5.wireName()).isEqualTo(WxPayConstants.SignType.MD5);
        assertThat(SignType.HMAC_SHA256.wireName()).isEqualTo(WxPayConstants.SignType.HMAC_SHA256);
    }

    @Test
    void rejectsTamperedParameter() {
        Map<String, String> params = paymentNotification();
        params.put("sign", signer.sign(params, SignType.HMAC_SHA256));
        params.put("total_fee", "100");

        assertThat(signer.verify(params, SignType.HMAC_SHA256)).isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void rejectsSignOfTheOtherType() {
        Map<String, String> params = paymentNotification();
        params.put("sign", signer.sign(params, SignType.MD5));

        assertThat(signer.verify(params, SignType.HMAC_SHA256)).isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void rejectsMissingSign() {
        assertThat(signer.verify(paymentNotification(), SignType.MD5)).isEqualTo(Verdict.MISSING_SIGNATURE);
    }

    private static Map<String, String> paymentNotification() {
        Map<String, String> params = new HashMap<>();
        params.put("appid", "wx2421b1c4370ec43b");
        params.put("attach", "支付测试");
        params.put("bank_type", "CFT");
        params.put("fee_type", "CNY");
        params.put("is_subscribe", "Y");
        params.put("mch_id", "10000100");
        params.put("nonce_str", "5d2b6c2a8db53831f7eda20af46e531c");
        params.put("openid", "oUpF8uMEb4qRXf22hE3X68TekukE");
        params.put("out_trade_no", "1409811653");
        params.put("result_code", "SUCCESS");
        params.put("return_code", "SUCCESS");
        params.put("coupon_fee", "");
        params.put("time_end", "20140903131540");
        params.put("total_fee", "1");
        params.put("trade_type", "JSAPI");
        params.put("transaction_id", "1004400740201409030005092168");
        return params;
    }
}
