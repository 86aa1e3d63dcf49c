package io.mphub.it;

import static io.mphub.testing.TestKafka.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.binarywang.wxpay.util.SignUtils;
import io.mphub.testing.Contracts;
import io.mphub.testing.Events;
import io.mphub.testing.WeChatPayKeys;
import io.mphub.testing.WeChatPaySandbox;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * WeChat Pay API v2 (legacy merchants) end to end: the payment destination of kind {@code wechatpay-v2} against a
 * sandbox that checks every unified order's {@code sign} with weixin-java-pay's SignUtils and answers signed XML.
 */
class WeChatPayV2IT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path dir;
    private static WeChatPayKeys keys;
    private static WeChatPaySandbox sandbox;
    @RegisterExtension
    static final HubFixture fixture = new HubFixture();

    @BeforeAll
    static void start() throws Exception {
        keys = new WeChatPayKeys(dir);
        sandbox = fixture.closing(new WeChatPaySandbox(keys));
        sandbox.answerV2((request, attempt) -> {
            String order = request.get("out_trade_no");
            if (order.startsWith("BUSY") && attempt == 1) {
                return failure("SYSTEMERROR", "系统错误");
            }
            if (order.startsWith("PAID")) {
                return failure("ORDERPAID", "商户订单已支付");
            }
            return WeChatPaySandbox.defaultV2(request, attempt);
        });
        Map<String, String> properties = new HashMap<>(keys.settings());
        properties.put("mphub.destinations.payment.kind", "wechatpay-v2");
        properties.put("mphub.destinations.payment.url", sandbox.url());
        properties.put("mphub.wechatpay.v2.sign-type", "HMAC-SHA256");
        // A v2 merchant needs no v3 keys, and without an APIv3 key the v3 callback stays off.
        properties.keySet().removeIf(k -> k.startsWith("mphub.wechatpay.") && !k.startsWith("mphub.wechatpay.v2.")
                && !k.equals("mphub.wechatpay.mchid"));
        fixture.startHub(properties);
    }

    private static Map<String, String> failure(String code, String description) {
        Map<String, String> answer = new HashMap<>();
        answer.put("return_code", "SUCCESS");
        answer.put("return_msg", "OK");
        answer.put("result_code", "FAIL");
        answer.put("err_code", code);
        answer.put("err_code_des", description);
        return answer;
    }

    @Test
    void orderBecomesASignedUnifiedOrderAndAPreparedEventWithAV2PaySign() {
        order("v2-order-1", "oV2User1", "V2ORDER001");

        JsonNode prepared = awaitResult("prepared-v2-order-1");

        List<WeChatPaySandbox.Call> calls = sandbox.callsFor("V2ORDER001");
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).signatureValid()).as("sign checked by weixin-java-pay").isTrue();
        assertThat(calls.get(0).xml()).containsEntry("trade_type", "JSAPI").containsEntry("openid", "oV2User1")
                .containsEntry("appid", Events.APP).containsEntry("mch_id", WeChatPayKeys.MCHID)
                .containsEntry("total_fee", "1999").containsEntry("sign_type", "HMAC-SHA256")
                .containsEntry("spbill_create_ip", "203.0.113.7");
        JsonNode data = prepared.path("data");
        String prepayId = WeChatPaySandbox.prepayIdFor("V2ORDER001", 1);
        assertThat(data.path("prepayId").asText()).isEqualTo(prepayId);
        assertThat(prepared.path("causationid").asText()).isEqualTo("v2-order-1");
        JsonNode payment = data.path("requestPayment");
        assertThat(payment.path("signType").asText()).isEqualTo("HMAC-SHA256");
        assertThat(payment.path("package").asText()).isEqualTo("prepay_id=" + prepayId);
        Map<String, String> signed = new HashMap<>();
        signed.put("appId", Events.APP);
        signed.put("timeStamp", payment.path("timeStamp").asText());
        signed.put("nonceStr", payment.path("nonceStr").asText());
        signed.put("package", payment.path("package").asText());
        signed.put("signType", "HMAC-SHA256");
        signed.put("sign", payment.path("paySign").asText()); // SignUtils checks the "sign" entry
        assertThat(SignUtils.checkSign(signed, "HMAC-SHA256", keys.v2ApiKey)).as("paySign checked by weixin-java-pay").isTrue();
        assertThatCode(() -> Contracts.load(MAPPER).check((ObjectNode) prepared)).doesNotThrowAnyException();
    }

    @Test
    void systemErrorIsRetriedWithTheSameOrder() {
        order("v2-busy-1", "oV2Busy", "BUSYORDER1");

        JsonNode prepared = awaitResult("prepared-v2-busy-1");

        List<WeChatPaySandbox.Call> calls = sandbox.callsFor("BUSYORDER1");
        assertThat(calls).hasSize(2).allSatisfy(c -> assertThat(c.signatureValid()).isTrue());
        assertThat(calls).extracting(c -> c.xml().get("out_trade_no")).containsOnly("BUSYORDER1");
        assertThat(prepared.path("data").path("prepayId").asText()).isEqualTo(WeChatPaySandbox.prepayIdFor("BUSYORDER1", 2));
    }

    @Test
    void orderPaidIsDeadLetteredWithTheErrCode() {
        order("v2-paid-1", "oV2Paid", "PAIDORDER1");

        ConsumerRecord<String, byte[]> dead = deadLetter("v2-paid-1");

        assertThat(header(dead, "mphub.error.reason")).isEqualTo("ORDERPAID");
        assertThat(header(dead, "mphub.error.message")).contains("商户订单已支付");
        assertThat(sandbox.callsFor("PAIDORDER1")).hasSize(1);
    }

    @Test
    void refundIsDeadLetteredAsNotSupportedWithoutCallingWeChatPay() {
        fixture.kafka.publish("mp.events.order", "oV2Refund", Events.structured("v2-refund-1", "mp.order.refunded",
                "oV2Refund", Events.orderRefunded("oV2Refund", "V2ORDER009")));

        ConsumerRecord<String, byte[]> dead = deadLetter("v2-refund-1");

        assertThat(header(dead, "mphub.error.reason")).isEqualTo("not_supported");
        assertThat(header(dead, "mphub.error.message")).contains("client certificate");
        assertThat(sandbox.calls()).noneMatch(c -> c.body().contains("V2ORDER009"));
    }

    private static void order(String id, String user, String orderId) {
        fixture.kafka.publish("mp.events.order", user, Events.structured(id, "mp.order.created", user,
                Events.orderCreated(user, orderId)));
    }

    private static JsonNode awaitResult(String id) {
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.read("mp.results", 10_000, Duration.ofSeconds(1))
                .stream().anyMatch(r -> id.equals(header(r, "ce_id"))));
        ConsumerRecord<String, byte[]> record = fixture.kafka.read("mp.results", 10_000, Duration.ofSeconds(2)).stream()
                .filter(r -> id.equals(header(r, "ce_id"))).findFirst().orElseThrow();
        try {
            return MAPPER.readTree(record.value());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConsumerRecord<String, byte[]> deadLetter(String id) {
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.read("mp.dlq.payment", 10_000, Duration.ofSeconds(1))
                .stream().anyMatch(r -> id.equals(header(r, "ce_id"))));
        return fixture.kafka.read("mp.dlq.payment", 10_000, Duration.ofSeconds(2)).stream()
                .filter(r -> id.equals(header(r, "ce_id"))).findFirst().orElseThrow();
    }
}
