package io.mphub.it;

import static io.mphub.testing.TestKafka.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.binarywang.wxpay.util.SignUtils;
import io.mphub.testing.Contracts;
import io.mphub.testing.Events;
import io.mphub.testing.LogCapture;
import io.mphub.testing.TestCertificates;
import io.mphub.testing.WeChatPayKeys;
import io.mphub.testing.WeChatPaySandbox;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * WeChat Pay API v2 (legacy merchants) end to end: the payment destination of kind {@code wechatpay-v2} against a
 * sandbox that checks every unified order's and refund's {@code sign} with weixin-java-pay's SignUtils and answers
 * signed XML. The sandbox is HTTPS behind a private CA (the hub trusts it by mphub.https.truststore-location) and
 * demands a client certificate, as WeChat Pay's refund API does: the hub has the merchant's apiclient_cert.p12.
 */
class WeChatPayV2IT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path dir;
    private static WeChatPayKeys keys;
    private static WeChatPaySandbox sandbox;
    private static TestCertificates tls;
    private static LogCapture logs;
    @RegisterExtension
    static final HubFixture fixture = new HubFixture();

    @BeforeAll
    static void start() throws Exception {
        logs = fixture.logs();
        keys = new WeChatPayKeys(dir);
        tls = TestCertificates.localhost(dir.resolve("tls"));
        // As the merchant platform gives it: the merchant's key and certificate, its password the merchant ID.
        Path clientCertificate = tls.issueClient(WeChatPayKeys.MCHID, WeChatPayKeys.MCHID);
        sandbox = fixture.closing(WeChatPaySandbox.mutualTls(keys, tls.mutualServerContext()));
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
        properties.put("mphub.wechatpay.v2.client-certificate", clientCertificate.toString());
        properties.put("mphub.https.truststore-location", tls.caPem().toString());
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
    void refundGoesOverMutualTlsSignedTheV2Way() {
        fixture.kafka.publish("mp.events.order", "oV2Refund", Events.structured("v2-refund-1", "mp.order.refunded",
                "oV2Refund", Events.orderRefunded("oV2Refund", "V2ORDER009")));

        await().atMost(60, TimeUnit.SECONDS).until(() -> !sandbox.callsFor("RV2ORDER009").isEmpty());
        WeChatPaySandbox.Call call = sandbox.callsFor("RV2ORDER009").get(0);
        assertThat(call.path()).isEqualTo("/secapi/pay/refund");
        assertThat(call.signatureValid()).as("sign checked by weixin-java-pay").isTrue();
        assertThat(call.xml()).containsEntry("appid", Events.APP).containsEntry("mch_id", WeChatPayKeys.MCHID)
                .containsEntry("out_trade_no", "V2ORDER009").containsEntry("out_refund_no", "RV2ORDER009")
                .containsEntry("total_fee", "1999").containsEntry("refund_fee", "1999")
                .containsEntry("refund_fee_type", "CNY").containsEntry("refund_desc", "changed mind")
                .containsEntry("sign_type", "HMAC-SHA256").containsKey("nonce_str");
        await().atMost(30, TimeUnit.SECONDS).until(() -> logs.text().contains(
                "refund RV2ORDER009 of order V2ORDER009 accepted by WeChat Pay v2"));
        assertThat(sandbox.callsFor("RV2ORDER009")).hasSize(1);
        assertThat(fixture.kafka.readAll("mp.dlq.payment"))
                .noneMatch(r -> "v2-refund-1".equals(header(r, "ce_id")));
    }

    @Test
    void theSandboxRefusesAClientWithoutTheCertificate() throws Exception {
        SSLContext trustingOnly = SSLContext.getInstance("TLS");
        KeyStore ca = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls.truststore())) {
            ca.load(in, tls.password().toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(ca);
        trustingOnly.init(null, trust.getTrustManagers(), null);
        HttpClient plain = HttpClient.newBuilder().sslContext(trustingOnly).build();

        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create(sandbox.url() + "/secapi/pay/refund"))
                .POST(HttpRequest.BodyPublishers.ofString("<xml></xml>")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(sandbox.calls()).noneMatch(c -> c.body().equals("<xml></xml>"));
    }

    private static void order(String id, String user, String orderId) {
        fixture.kafka.publish("mp.events.order", user, Events.structured(id, "mp.order.created", user,
                Events.orderCreated(user, orderId)));
    }

    private static JsonNode awaitResult(String id) {
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.readAll("mp.results")
                .stream().anyMatch(r -> id.equals(header(r, "ce_id"))));
        ConsumerRecord<String, byte[]> record = fixture.kafka.readAll("mp.results").stream()
                .filter(r -> id.equals(header(r, "ce_id"))).findFirst().orElseThrow();
        try {
            return MAPPER.readTree(record.value());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConsumerRecord<String, byte[]> deadLetter(String id) {
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.readAll("mp.dlq.payment")
                .stream().anyMatch(r -> id.equals(header(r, "ce_id"))));
        return fixture.kafka.readAll("mp.dlq.payment").stream()
                .filter(r -> id.equals(header(r, "ce_id"))).findFirst().orElseThrow();
    }
}
