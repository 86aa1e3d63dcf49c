package io.mphub.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.wechat.pay.java.core.cipher.RSAVerifier;
import io.mphub.event.EventContract;
import io.mphub.testing.Contracts;
import io.mphub.testing.Events;
import io.mphub.testing.TestSecrets;
import io.mphub.testing.WeChatPayKeys;
import io.mphub.testing.WeChatPayNotifications;
import io.mphub.testing.WeChatPaySandbox;
import io.mphub.testing.WeChatPaySandbox.Reply;
import io.mphub.testing.WeChatPaySandbox.Signing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.mphub.testing.TestKafka.header;
import static io.mphub.testing.WeChatPayNotifications.notification;
import static io.mphub.testing.WeChatPayNotifications.transaction;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

/**
 * WeChat Pay API v3 end to end, through the real broker: the payment destination of kind {@code wechatpay-v3} talks
 * to a local sandbox that checks requests the way api.mch.weixin.qq.com does (with wechatpay-java's verifier) and
 * signs its answers with its own platform key; the hub's {@code /callbacks/wechatpay} receives notifications signed
 * and encrypted with wechatpay-java's code.
 */
class WeChatPayIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static WeChatPayKeys keys;
    private static WeChatPaySandbox sandbox;
    @RegisterExtension
    static final HubFixture fixture = new HubFixture();
    private static int hubPort;
    private static EventContract contract;

    @BeforeAll
    static void start() throws Exception {
        fixture.logs();
        keys = new WeChatPayKeys(dir);
        sandbox = fixture.closing(new WeChatPaySandbox(keys));
        // Each order id says how the sandbox answers it, attempt by attempt.
        sandbox.answerV3((call, attempt) -> {
            String key = call.key();
            if (key.startsWith("FLAKY")) {
                return switch (attempt) {
                    case 1 -> Reply.error(500, "SYSTEM_ERROR", "系统繁忙，请稍后重试");
                    case 2 -> Reply.error(429, "FREQUENCY_LIMITED", "频率超限");
                    default -> WeChatPaySandbox.standard(call, attempt);
                };
            }
            if (key.startsWith("CLOSED")) {
                return Reply.error(400, "ORDER_CLOSED", "订单已关闭");
            }
            if (key.startsWith("PAID")) {
                return Reply.error(403, "ORDERPAID", "该订单已支付");
            }
            if (key.startsWith("ODDCODE")) {
                // A code the hub does not know, with text that must not reach a metric tag or a header unchanged.
                return new Reply(400, MAPPER.createObjectNode().put("code", "NEW_RULE <b>\"2027\"</b>\r\nx=y")
                        .put("message", "新规则").toString(), Signing.GOOD);
            }
            if (key.startsWith("FORGED")) {
                Reply good = WeChatPaySandbox.standard(call, attempt);
                return switch (attempt) {
                    case 1 -> new Reply(200, good.body(), Signing.BAD);
                    case 2 -> new Reply(200, good.body(), Signing.MISSING);
                    case 3 -> new Reply(200, good.body(), Signing.UNKNOWN_SERIAL);
                    default -> good;
                };
            }
            return WeChatPaySandbox.standard(call, attempt);
        });
        Map<String, String> properties = new HashMap<>(keys.settings());
        properties.put("mphub.destinations.payment.kind", "wechatpay-v3");
        properties.put("mphub.destinations.payment.url", sandbox.url());
        properties.put("mphub.delivery.retry.max-attempts", "4");
        fixture.startHub(properties); // mphub.http.port=0: the listener takes a free port itself
        hubPort = fixture.hub.httpPort();
        contract = Contracts.load(MAPPER);
    }

    // ---- mp.order.created → JSAPI prepay → mp.payment.prepared ----

    @Test
    void orderLeadsToAVerifiedPrepayRequestAndAPreparedEventWhosePaySignVerifies() throws Exception {
        order("order-ok-1", "oPayUser1", "OKORDER001");

        JsonNode prepared = awaitResult("prepared-order-ok-1");

        List<WeChatPaySandbox.Call> calls = sandbox.callsFor("OKORDER001");
        assertThat(calls).hasSize(1);
        WeChatPaySandbox.Call call = calls.get(0);
        assertThat(call.path()).isEqualTo("/v3/pay/transactions/jsapi");
        assertThat(call.signatureValid()).isTrue();
        assertThat(call.json()).isEqualTo(MAPPER.readTree("{\"appid\":\"" + Events.APP + "\",\"mchid\":\""
                + WeChatPayKeys.MCHID + "\",\"description\":\"Oolong tea\",\"out_trade_no\":\"OKORDER001\","
                + "\"notify_url\":\"https://pay.example.com/callbacks/wechatpay\","
                + "\"amount\":{\"total\":1999,\"currency\":\"CNY\"},\"payer\":{\"openid\":\"oPayUser1\"}}"));

        assertThat(prepared.path("type").asText()).isEqualTo("mp.payment.prepared");
        assertThat(prepared.path("source").asText()).isEqualTo("/mphub");
        assertThat(prepared.path("subject").asText()).isEqualTo("oPayUser1");
        assertThat(prepared.path("causationid").asText()).isEqualTo("order-ok-1");
        JsonNode data = prepared.path("data");
        String prepayId = WeChatPaySandbox.prepayIdFor("OKORDER001", 1);
        assertThat(data.path("appId").asText()).isEqualTo(Events.APP);
        assertThat(data.path("orderId").asText()).isEqualTo("OKORDER001");
        assertThat(data.path("openId").asText()).isEqualTo("oPayUser1");
        assertThat(data.path("prepayId").asText()).isEqualTo(prepayId);
        JsonNode payment = data.path("requestPayment");
        assertThat(payment.path("package").asText()).isEqualTo("prepay_id=" + prepayId);
        assertThat(payment.path("signType").asText()).isEqualTo("RSA");
        String message = Events.APP + "\n" + payment.path("timeStamp").asText() + "\n"
                + payment.path("nonceStr").asText() + "\n" + payment.path("package").asText() + "\n";
        assertThat(new RSAVerifier(keys.merchant.getPublic(), WeChatPayKeys.MERCHANT_SERIAL)
                .verify(WeChatPayKeys.MERCHANT_SERIAL, message, payment.path("paySign").asText())).isTrue();
        assertThatCode(() -> contract.check((ObjectNode) prepared)).doesNotThrowAnyException();
    }

    @Test
    void systemErrorAndRateLimitAreRetriedAndThePrepayIdOfTheSuccessIsPublished() {
        order("order-flaky-1", "oFlakyUser", "FLAKY00001");

        JsonNode prepared = awaitResult("prepared-order-flaky-1");

        List<WeChatPaySandbox.Call> calls = sandbox.callsFor("FLAKY00001");
        assertThat(calls).extracting(WeChatPaySandbox.Call::answeredStatus).containsExactly(500, 429, 200);
        assertThat(calls).allSatisfy(c -> assertThat(c.signatureValid()).isTrue());
        assertThat(calls).extracting(WeChatPaySandbox.Call::json).containsOnly(calls.get(0).json());
        assertThat(prepared.path("data").path("prepayId").asText()).isEqualTo(WeChatPaySandbox.prepayIdFor("FLAKY00001", 3));
    }

    @Test
    void businessErrorsAreDeadLetteredAtOnceWithTheWeChatCodeAndMessage() {
        order("order-closed-1", "oClosedUser", "CLOSED0001");
        order("order-paid-1", "oPaidUser", "PAID000001");

        ConsumerRecord<String, byte[]> closed = deadLetter("order-closed-1");
        ConsumerRecord<String, byte[]> paid = deadLetter("order-paid-1");

        assertThat(header(closed, "mphub.error.reason")).isEqualTo("ORDER_CLOSED");
        assertThat(header(closed, "mphub.error.message")).isEqualTo("HTTP 400 ORDER_CLOSED: 订单已关闭");
        assertThat(header(closed, "mphub.attempts")).isEqualTo("1");
        assertThat(header(paid, "mphub.error.reason")).isEqualTo("ORDERPAID");
        assertThat(header(paid, "mphub.error.message")).contains("该订单已支付");
        assertThat(sandbox.callsFor("CLOSED0001")).hasSize(1);
        assertThat(sandbox.callsFor("PAID000001")).hasSize(1);
        assertThat(results()).doesNotContainKeys("prepared-order-closed-1", "prepared-order-paid-1");
    }

    @Test
    void codeTheHubDoesNotKnowIsDeadLetteredAsWeChatPayOtherAndNeverBecomesAMetricTag() throws Exception {
        order("order-odd-1", "oOddUser", "ODDCODE001");

        ConsumerRecord<String, byte[]> odd = deadLetter("order-odd-1");

        assertThat(header(odd, "mphub.error.reason")).isEqualTo("wechatpay_other");
        assertThat(header(odd, "mphub.error.message")).isEqualTo("HTTP 400 NEW_RULEb2027bxy: 新规则");
        await().atMost(30, TimeUnit.SECONDS).until(() -> metrics().contains(
                "mphub_dead_letters_total{reason=\"wechatpay_other\",topic=\"mp.dlq.payment\"}"));
        assertThat(metrics()).doesNotContain("NEW_RULE");
    }

    @Test
    void answerWithABadMissingOrUnknownSignatureIsNeverTrusted() {
        order("order-forged-1", "oForgedUser", "FORGED0001");

        JsonNode prepared = awaitResult("prepared-order-forged-1");

        List<WeChatPaySandbox.Call> calls = sandbox.callsFor("FORGED0001");
        assertThat(calls).extracting(WeChatPaySandbox.Call::signing)
                .containsExactly(Signing.BAD, Signing.MISSING, Signing.UNKNOWN_SERIAL, Signing.GOOD);
        // Only the answer that verified was used, though all four said 200 with a prepay_id.
        assertThat(prepared.path("data").path("prepayId").asText()).isEqualTo(WeChatPaySandbox.prepayIdFor("FORGED0001", 4));
        assertThat(results().keySet().stream().filter(id -> id.equals("prepared-order-forged-1"))).hasSize(1);
    }

    @Test
    void refundGoesToTheDomesticRefundApiOnce() throws Exception {
        String user = "oRefundUser";
        fixture.kafka.publish("mp.events.order", user, Events.structured("refund-1", "mp.order.refunded", user,
                Events.orderRefunded(user, "OKORDER002")));
        // The same user's next event is delivered after the refund is done (order per user within a destination).
        order("order-after-refund", user, "OKORDER003");
        awaitResult("prepared-order-after-refund");

        List<WeChatPaySandbox.Call> calls = sandbox.callsFor("ROKORDER002");
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).path()).isEqualTo("/v3/refund/domestic/refunds");
        assertThat(calls.get(0).signatureValid()).isTrue();
        assertThat(calls.get(0).answeredStatus()).isEqualTo(200);
        assertThat(calls.get(0).json()).isEqualTo(MAPPER.readTree("{\"out_trade_no\":\"OKORDER002\","
                + "\"out_refund_no\":\"ROKORDER002\",\"reason\":\"changed mind\","
                + "\"amount\":{\"refund\":1999,\"total\":1999,\"currency\":\"CNY\"}}"));
        assertThat(deadLetters()).doesNotContain("refund-1");
    }

    @Test
    void eventTypeThePaymentKindDoesNotTakeIsSkippedAndCounted() {
        // Straight into the destination's outbox, as a fan-out table edit routing logins to payment would put it.
        fixture.kafka.publish("mp.out.payment", "oLoginUser", Events.structured("login-1", "mp.user.login", "oLoginUser",
                Events.login("oLoginUser")).getBytes(UTF_8), Map.of("ce_id", "login-1", "ce_type", "mp.user.login"));

        await().atMost(60, TimeUnit.SECONDS).until(() -> metrics().contains(
                "mphub_delivery_attempts_total{destination=\"payment\",outcome=\"skipped\",reason=\"unsupported_type\"} 1.0"));
        assertThat(sandbox.calls()).noneMatch(c -> c.body().contains("oLoginUser"));
    }

    // ---- /callbacks/wechatpay ----

    @Test
    void signedEncryptedNotificationPublishesOnePaymentSucceededAndARepeatPublishesNothing() throws Exception {
        String transactionId = "4200002001202606010000000001";
        String body = notification("TRANSACTION.SUCCESS", transaction(transactionId, "PAIDORDER1", "oPayer1"),
                keys.apiV3Key);

        HttpResponse<String> first = callback(body, signed(body));

        assertThat(first.statusCode()).isEqualTo(204);
        Map<String, JsonNode> results = results();
        JsonNode succeeded = results.get("wxpay-" + transactionId);
        assertThat(succeeded).isNotNull();
        assertThat(succeeded.path("type").asText()).isEqualTo("mp.payment.succeeded");
        assertThat(succeeded.path("subject").asText()).isEqualTo("oPayer1");
        assertThat(succeeded.path("data")).isEqualTo(MAPPER.readTree("{\"appId\":\"" + Events.APP + "\","
                + "\"orderId\":\"PAIDORDER1\",\"openId\":\"oPayer1\",\"transactionId\":\"" + transactionId + "\","
                + "\"tradeState\":\"SUCCESS\",\"successTime\":\"2026-06-01T10:34:56+08:00\","
                + "\"amount\":{\"total\":1999,\"payerTotal\":1899,\"currency\":\"CNY\"}}"));
        assertThatCode(() -> contract.check((ObjectNode) succeeded)).doesNotThrowAnyException();

        // WeChat Pay sends it again (as it does for a day when unsure): success, and nothing new.
        HttpResponse<String> repeat = callback(body, signed(body));

        assertThat(repeat.statusCode()).isEqualTo(204);
        assertThat(resultRecords().stream().filter(r -> ("wxpay-" + transactionId).equals(header(r, "ce_id"))))
                .hasSize(1);
        // The hub's ingest reads mp.results: the event passed the contract and reached customer-service.
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.receiver("customer-service").delivered()
                .contains("wxpay-" + transactionId));
    }

    @Test
    void transactionWithoutTradeStatePublishesPaymentSucceededWithoutIt() throws Exception {
        String transactionId = "4200002001202606010000000051";
        String withoutTradeState = transaction(transactionId, "NOSTATE001", "oPayer5").replace("\"trade_state\":\"SUCCESS\",", "");
        assertThat(withoutTradeState).doesNotContain("trade_state\"");
        String body = notification("TRANSACTION.SUCCESS", withoutTradeState, keys.apiV3Key);

        assertThat(callback(body, signed(body)).statusCode()).isEqualTo(204);

        JsonNode succeeded = results().get("wxpay-" + transactionId);
        assertThat(succeeded).isNotNull();
        assertThat(succeeded.path("data").has("tradeState")).isFalse();
        assertThat(succeeded.path("data").path("orderId").asText()).isEqualTo("NOSTATE001");
        assertThatCode(() -> contract.check((ObjectNode) succeeded)).doesNotThrowAnyException();
    }

    @Test
    void notificationThatDoesNotVerifyIsRefusedWith401AndPublishesNothing() throws Exception {
        long now = Instant.now().getEpochSecond();
        String tampered = notification("TRANSACTION.SUCCESS", transaction("4200002001202606010000000011", "BADSIG0001",
                "oPayer2"), keys.apiV3Key);
        assertThat(callback(tampered, signed(notification("TRANSACTION.SUCCESS", transaction(
                "4200002001202606010000000099", "BADSIG0001", "oPayer2"), keys.apiV3Key))).statusCode())
                .as("signature of another body").isEqualTo(401);

        String probe = notification("TRANSACTION.SUCCESS", transaction("4200002001202606010000000012", "PROBE00001",
                "oPayer2"), keys.apiV3Key);
        Map<String, String> probeHeaders = signed(probe);
        probeHeaders.put("Wechatpay-Signature", "WECHATPAY/SIGNTEST/" + Base64.getEncoder().encodeToString(new byte[256]));
        HttpResponse<String> probeAnswer = callback(probe, probeHeaders);
        assertThat(probeAnswer.statusCode()).as("SIGNTEST probe").isEqualTo(401);
        assertThat(MAPPER.readTree(probeAnswer.body()).path("code").asText()).isEqualTo("FAIL");

        String stale = notification("TRANSACTION.SUCCESS", transaction("4200002001202606010000000013", "STALE00001",
                "oPayer2"), keys.apiV3Key);
        assertThat(callback(stale, signedAt(stale, now - 6 * 60)).statusCode()).as("6 minutes old").isEqualTo(401);

        String unknown = notification("TRANSACTION.SUCCESS", transaction("4200002001202606010000000014", "UNKNOWN001",
                "oPayer2"), keys.apiV3Key);
        Map<String, String> unknownHeaders = signed(unknown);
        unknownHeaders.put("Wechatpay-Serial", "PUB_KEY_ID_0000000000000000000000000000000");
        assertThat(callback(unknown, unknownHeaders).statusCode()).as("unknown serial").isEqualTo(401);

        assertThat(callback(tampered, Map.of()).statusCode()).as("no signature at all").isEqualTo(401);

        assertThat(results()).doesNotContainKeys("wxpay-4200002001202606010000000011", "wxpay-4200002001202606010000000099",
                "wxpay-4200002001202606010000000012", "wxpay-4200002001202606010000000013",
                "wxpay-4200002001202606010000000014");
        assertThat(metrics()).contains("mphub_callbacks_total{callback=\"wechatpay\",outcome=\"bad_signature\"} 5.0");
    }

    @Test
    void malformedOrUndecryptableNotificationIsRefusedWith400AndPublishesNothing() throws Exception {
        String notJson = "{\"id\":\"EV-1\",\"event_type\":";
        assertThat(callback(notJson, signed(notJson)).statusCode()).as("not JSON").isEqualTo(400);

        String noResource = "{\"id\":\"EV-2\",\"event_type\":\"TRANSACTION.SUCCESS\",\"resource_type\":\"encrypt-resource\"}";
        assertThat(callback(noResource, signed(noResource)).statusCode()).as("no resource").isEqualTo(400);

        String otherKey = notification("TRANSACTION.SUCCESS", transaction("4200002001202606010000000021", "OTHERKEY01",
                "oPayer3"), TestSecrets.alphanumeric(32));
        HttpResponse<String> undecryptable = callback(otherKey, signed(otherKey));
        assertThat(undecryptable.statusCode()).as("encrypted with another APIv3 key").isEqualTo(400);
        assertThat(MAPPER.readTree(undecryptable.body()).path("code").asText()).isEqualTo("FAIL");

        String noTransactionId = notification("TRANSACTION.SUCCESS", transaction("", "NOTXID0001", "oPayer3"), keys.apiV3Key);
        assertThat(callback(noTransactionId, signed(noTransactionId)).statusCode()).as("no transaction_id").isEqualTo(400);

        assertThat(results()).doesNotContainKey("wxpay-4200002001202606010000000021");
        assertThat(results().values()).noneMatch(e -> e.path("data").path("orderId").asText().equals("NOTXID0001"));
    }

    @Test
    void refundAndOtherNotificationTypesAreRefusedSoWeChatPayKeepsThemAndNothingIsPublished() throws Exception {
        String refundResource = "{\"mchid\":\"" + WeChatPayKeys.MCHID + "\",\"out_trade_no\":\"REFUNDED01\","
                + "\"transaction_id\":\"4200002001202606010000000041\",\"out_refund_no\":\"RREFUNDED01\","
                + "\"refund_id\":\"50000000382019052709732678859\",\"refund_status\":\"SUCCESS\","
                + "\"amount\":{\"total\":1999,\"refund\":1999,\"payer_total\":1999,\"payer_refund\":1999}}";
        String refund = notification("REFUND.SUCCESS", refundResource, keys.apiV3Key);
        String abnormal = notification("REFUND.ABNORMAL", refundResource, keys.apiV3Key);

        HttpResponse<String> refused = callback(refund, signed(refund));

        assertThat(refused.statusCode()).as("not a success, so WeChat Pay tries again").isEqualTo(400);
        assertThat(MAPPER.readTree(refused.body())).isEqualTo(MAPPER.readTree("{\"code\":\"FAIL\",\"message\":"
                + "\"mphub takes only TRANSACTION.SUCCESS notifications; send refund notifications to your own handler\"}"));
        assertThat(callback(abnormal, signed(abnormal)).statusCode()).isEqualTo(400);
        assertThat(metrics()).contains(
                "mphub_callbacks_total{callback=\"wechatpay\",outcome=\"unsupported_event_type\"} 2.0");
        // The listener logs a refusal before it answers.
        assertThat(fixture.logs().events()).anyMatch(e -> e.getFormattedMessage().contains("unsupported_event_type")
                && e.getFormattedMessage().contains("REFUND.ABNORMAL"));
        assertThat(results().values()).noneMatch(e -> e.toString().contains("REFUNDED01"));
    }

    @Test
    void logsAndMetricsNeverHoldTheApiV3KeyOrTheMerchantKey() throws Exception {
        String otherKey = notification("TRANSACTION.SUCCESS", transaction("4200002001202606010000000031", "LOGCHECK01",
                "oPayer4"), TestSecrets.alphanumeric(32));
        assertThat(callback(otherKey, signed(otherKey)).statusCode()).isEqualTo(400);
        String good = notification("TRANSACTION.SUCCESS", transaction("4200002001202606010000000032", "LOGCHECK02",
                "oPayer4"), keys.apiV3Key);
        assertThat(callback(good, signed(good)).statusCode()).isEqualTo(204);
        await().atMost(30, TimeUnit.SECONDS).until(() -> fixture.logs().events().stream()
                .anyMatch(e -> e.getFormattedMessage().contains("undecryptable")));

        String merchantKey = Base64.getEncoder().encodeToString(keys.merchant.getPrivate().getEncoded()).substring(100, 164);
        Set<String> secrets = Set.of(keys.apiV3Key, keys.v2ApiKey, merchantKey);
        List<String> lines = fixture.logs().lines();
        assertThat(lines).isNotEmpty();
        for (String secret : secrets) {
            assertThat(lines).noneMatch(line -> line.contains(secret));
            assertThat(metrics()).doesNotContain(secret);
        }
    }

    // ---- helpers ----

    private static void order(String id, String user, String orderId) {
        fixture.kafka.publish("mp.events.order", user, Events.structured(id, "mp.order.created", user,
                Events.orderCreated(user, orderId)));
    }

    private static Map<String, String> signed(String body) {
        return signedAt(body, Instant.now().getEpochSecond());
    }

    private static Map<String, String> signedAt(String body, long timestamp) {
        return WeChatPayNotifications.headers(sandbox, body, timestamp);
    }

    private static HttpResponse<String> callback(String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hubPort + "/callbacks/wechatpay"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body, UTF_8));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
    }

    private static String metrics() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hubPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<ConsumerRecord<String, byte[]>> resultRecords() {
        return fixture.kafka.readAll("mp.results");
    }

    /** mp.results by event id (a repeated id keeps the last). */
    private static Map<String, JsonNode> results() {
        Map<String, JsonNode> byId = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : resultRecords()) {
            try {
                JsonNode event = MAPPER.readTree(r.value());
                byId.put(event.path("id").asText(), event);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return byId;
    }

    private static JsonNode awaitResult(String id) {
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.readAll("mp.results")
                .stream().anyMatch(r -> id.equals(header(r, "ce_id"))));
        return results().get(id);
    }

    private static Set<String> deadLetters() {
        Set<String> ids = new LinkedHashSet<>();
        fixture.kafka.readAll("mp.dlq.payment").forEach(r -> ids.add(header(r, "ce_id")));
        return ids;
    }

    private static ConsumerRecord<String, byte[]> deadLetter(String id) {
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.readAll("mp.dlq.payment")
                .stream().anyMatch(r -> id.equals(header(r, "ce_id"))));
        return fixture.kafka.readAll("mp.dlq.payment").stream()
                .filter(r -> id.equals(header(r, "ce_id"))).findFirst().orElseThrow();
    }
}
