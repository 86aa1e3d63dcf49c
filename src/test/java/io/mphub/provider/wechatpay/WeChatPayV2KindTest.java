package io.mphub.provider.wechatpay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.binarywang.wxpay.util.SignUtils;
import io.mphub.config.Secret;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Outcome;
import io.mphub.deliver.RetryPolicy;
import io.mphub.privacy.DataContract;
import io.mphub.provider.ProviderContext;
import io.mphub.sign.WeChatPayV2Signer.SignType;
import io.mphub.testing.Events;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The v2 unified order and wx.requestPayment parameters, checked with weixin-java-pay's SignUtils. */
class WeChatPayV2KindTest {

    private static final String KEY = "192006250b4c09247ec02edce69f6a2d";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static WeChatPayV2Kind kind(SignType type) {
        Destination d = new Destination("payment", "wechatpay-v2", URI.create("http://127.0.0.1:9"), 10,
                Duration.ofSeconds(1), new RetryPolicy(1, Duration.ZERO, 1, Duration.ZERO), DataContract.WHOLE);
        V2Merchant merchant = new V2Merchant("1900009191", new Secret(KEY), type,
                URI.create("https://pay.example.com/wxpay/notify"), "203.0.113.7", Optional.empty());
        return new WeChatPayV2Kind(d, merchant, new ProviderContext(Clock.systemUTC(), MAPPER, null, null));
    }

    private static OrderEvent order(String data) {
        return OrderEvent.parse(MAPPER, "evt-1", Events.structured("evt-1", "mp.order.created", "oUser1", data)
                .getBytes(UTF_8));
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void unifiedOrderIsAJsapiOrderSignedTheWayWeixinJavaPayChecks(SignType type) {
        Map<String, String> params = kind(type).unifiedOrderParams(order(Events.orderCreated("oUser1", "ORDER0001")));

        assertThat(params).containsEntry("appid", Events.APP).containsEntry("mch_id", "1900009191")
                .containsEntry("trade_type", "JSAPI").containsEntry("openid", "oUser1")
                .containsEntry("out_trade_no", "ORDER0001").containsEntry("total_fee", "1999")
                .containsEntry("fee_type", "CNY").containsEntry("body", "Oolong tea")
                .containsEntry("spbill_create_ip", "203.0.113.7")
                .containsEntry("notify_url", "https://pay.example.com/wxpay/notify")
                .containsEntry("sign_type", type.wireName());
        assertThat(params.get("nonce_str")).hasSize(32);
        assertThat(SignUtils.checkSign(params, type.wireName(), KEY)).isTrue();
    }

    @Test
    void bodyIsCutTo128BytesOfUtf8() {
        String data = Events.orderCreated("oUser1", "ORDER0001").replace("Oolong tea", "乌龙茶".repeat(20));

        String body = kind(SignType.MD5).unifiedOrderParams(order(data)).get("body");

        assertThat(body.getBytes(UTF_8).length).isLessThanOrEqualTo(128);
        assertThat(body).isEqualTo("乌龙茶".repeat(14)); // 42 characters, 126 bytes: a 43rd would make 129
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void requestPaymentIsSignedOverAppIdTimeNoncePackageAndSignType(SignType type) {
        Map<String, String> payment = kind(type).requestPayment(Events.APP, "wx2014", 1414561699L, "5K8264ILTKCH16CQ");

        assertThat(payment).containsExactly(Map.entry("timeStamp", "1414561699"), Map.entry("nonceStr", "5K8264ILTKCH16CQ"),
                Map.entry("package", "prepay_id=wx2014"), Map.entry("signType", type.wireName()),
                Map.entry("paySign", payment.get("paySign")));
        Map<String, String> signed = new HashMap<>(payment);
        signed.remove("paySign");
        signed.put("appId", Events.APP);
        assertThat(payment.get("paySign")).isEqualTo(SignUtils.createSign(signed, type.wireName(), KEY, null));
    }

    @Test
    void withoutTheClientCertificateRefundsAreDeadLetteredNamingItAndOtherTypesSkipped() throws Exception {
        WeChatPayV2Kind kind = kind(SignType.HMAC_SHA256);

        Outcome refund = kind.attempt(null, "evt-2", Events.structured("evt-2", "mp.order.refunded", "oUser1",
                Events.orderRefunded("oUser1", "ORDER0001")).getBytes(UTF_8));
        Outcome login = kind.attempt(null, "evt-3", Events.structured("evt-3", "mp.user.login", "oUser1",
                Events.login("oUser1")).getBytes(UTF_8));

        assertThat(refund).isEqualTo(new Outcome.Permanent("not_supported", WeChatPayV2Kind.NO_REFUND));
        assertThat(WeChatPayV2Kind.NO_REFUND).contains("MPHUB_WECHATPAY_V2_CLIENT_CERTIFICATE");
        assertThat(login).isInstanceOf(Outcome.Skipped.class).extracting(o -> ((Outcome.Skipped) o).reason())
                .isEqualTo("unsupported_type");
    }
}
