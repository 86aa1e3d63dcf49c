package io.mphub.it;

import static io.mphub.testing.TestKafka.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.mphub.testing.Events;
import io.mphub.testing.QiyuSandbox;
import io.mphub.testing.QiyuSandbox.Call;
import io.mphub.testing.TestSecrets;
import org.apache.camel.Consumer;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kind qiyu end to end: login, order, payment and logistics events become updateUInfo calls at a local Qiyu that
 * verifies the app key, the time window and the checksum over the body it received, and records the side panel.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QiyuIT {

    private static final String APP_KEY = "qiyu-" + TestSecrets.hex(8);
    private static final String APP_SECRET = TestSecrets.hex(16);

    @RegisterExtension
    static final HubFixture fixture = new HubFixture();
    private static QiyuSandbox qiyu;

    @BeforeAll
    static void start() throws Exception {
        fixture.logs();
        qiyu = fixture.closing(QiyuSandbox.start(APP_KEY, APP_SECRET));
        // A user whose id starts with oBusy meets a Qiyu server error once.
        qiyu.script((uid, attempt) -> uid.startsWith("oBusy") && attempt == 1 ? 14500 : 200);
        fixture.startHub(Map.of(
                "mphub.destinations.customer-service.kind", "qiyu",
                "mphub.destinations.customer-service.url", qiyu.url(),
                "mphub.qiyu.app-key", APP_KEY,
                "mphub.qiyu.app-secret", APP_SECRET,
                "mphub.qiyu.order-link", "https://admin.example.com/orders/{orderId}",
                "mphub.delivery.retry.max-attempts", "4"));
    }

    @Test
    @Order(1)
    void aLoginShowsPlatformSceneTimeAndTheEnrichedAddressOnTheAgentsPanel() {
        String user = "oQiyuLogin";
        String login = Events.structured("q1-login", "mp.user.login", user, Events.login(user))
                .replace("\"time\":\"", "\"mphubaddress\":\"北京市东城区东华门街道\",\"time\":\"");
        fixture.kafka.publish("mp.events.login", user, login);

        Call call = calls(user, 1).get(0);
        assertThat(call.values()).containsEntry("mp_app", Events.APP).containsEntry("platform", "android")
                .containsEntry("scene", "1001 发现栏小程序主入口").containsEntry("location", "北京市东城区东华门街道")
                .containsKey("last_login");
        assertThat(call.userinfo()).allSatisfy(item -> assertThat(item.fieldNames()).toIterable()
                .contains("key", "value", "label", "index", "hidden"));
    }

    @Test
    @Order(2)
    void anOrdersStagesUpdateThePanelInOrder() {
        String user = "oQiyuOrder";
        String order = "QIYUORDER01";
        publish("q2-created", "mp.order.created", user, Events.orderCreated(user, order));
        publish("q2-paid", "mp.order.paid", user, Events.orderPaid(user, order));
        publish("q2-shipped", "mp.order.shipped", user, Events.orderShipped(user, order));
        publish("q2-refunded", "mp.order.refunded", user, Events.orderRefunded(user, order));

        List<Call> calls = calls(user, 4);
        assertThat(calls).extracting(c -> c.values().get("order_status")).containsExactly("待支付", "已支付", "已发货", "已退款");
        assertThat(calls.get(0).values()).containsEntry("order_id", order).containsEntry("order_amount", "¥19.99");
        assertThat(calls.get(2).values()).containsEntry("waybill", "顺丰速运 SF1234567890");
        assertThat(calls.get(3).values()).containsEntry("refund", "¥19.99（changed mind）");
        JsonNode orderItem = findItem(calls.get(0), "order_id");
        assertThat(orderItem.get("href").asText()).isEqualTo("https://admin.example.com/orders/" + order);
    }

    @Test
    @Order(3)
    void theHubsOwnPaymentAndLogisticsEventsReachThePanel() {
        String user = "oQiyuResults";
        String payment = "{\"appId\":\"" + Events.APP + "\",\"orderId\":\"QIYUORDER02\",\"openId\":\"" + user + "\","
                + "\"transactionId\":\"4200000001\",\"successTime\":\"2026-11-24T16:30:00+08:00\","
                + "\"amount\":{\"total\":12345,\"currency\":\"CNY\"}}";
        String logistics = "{\"appId\":\"" + Events.APP + "\",\"orderId\":\"QIYUORDER02\",\"openId\":\"" + user + "\","
                + "\"carrier\":\"zhongtong\",\"waybillNo\":\"ZT0000000001\",\"state\":\"3\",\"status\":\"shutdown\","
                + "\"latest\":{\"time\":\"2026-11-25 10:00:00\",\"context\":\"已签收\"},\"checkpoints\":[]}";
        fixture.kafka.publish("mp.results", user, Events.structured("q3-paid", "mp.payment.succeeded", user, payment)
                .replace("/miniprogram/" + Events.APP, "/mphub"));
        fixture.kafka.publish("mp.results", user, Events.structured("q3-parcel", "mp.logistics.updated", user, logistics)
                .replace("/miniprogram/" + Events.APP, "/mphub"));

        List<Call> calls = calls(user, 2);
        assertThat(calls.get(0).values()).containsEntry("order_status", "已支付").containsEntry("order_amount", "¥123.45")
                .containsEntry("transaction_id", "4200000001");
        assertThat(calls.get(1).values()).containsEntry("waybill", "中通快递 ZT0000000001")
                .containsEntry("logistics", "签收 · 已签收 (2026-11-25 10:00:00)");
    }

    @Test
    @Order(4)
    void aQiyuServerErrorIsRetriedWithTheSamePanel() {
        String user = "oBusyUser";
        publish("q4-created", "mp.order.created", user, Events.orderCreated(user, "QIYUORDER04"));

        List<Call> calls = calls(user, 2);
        assertThat(calls).extracting(Call::code).containsExactly(14500, 200);
        assertThat(calls.get(1).userinfo()).isEqualTo(calls.get(0).userinfo());
    }

    @Test
    @Order(5)
    void aTypeThePanelDoesNotShowIsSkippedNotDeadLettered() throws Exception {
        String user = "oQiyuSkip";
        // Straight into the destination's outbox, as a fan-out table edited to send behaviour here would.
        fixture.kafka.publish("mp.out.customer-service", user, Events.structured("q5-tap", "mp.behaviour.tap", user,
                Events.behaviour(user, "pages/index/index")).getBytes(UTF_8), Map.of("ce_id", "q5-tap",
                "ce_type", "mp.behaviour.tap"));
        publish("q5-login", "mp.user.login", user, Events.login(user));

        assertThat(calls(user, 1)).hasSize(1);
        assertThat(deadLetters()).noneMatch(r -> "q5-tap".equals(header(r, "ce_id")));
        assertThat(metrics()).contains("mphub_delivery_attempts_total{destination=\"customer-service\","
                + "outcome=\"skipped\",reason=\"unsupported_type\"} 1.0");
    }

    @Test
    @Order(100) // last: the destination stays paused for the 10-minute window
    void aSecretResetInQiyusConsolePausesTheDestinationNamingTheSettingAndDeadLettersNothing() throws Exception {
        String resetSecret = TestSecrets.hex(16);
        qiyu.appSecret(resetSecret);
        String waits = "mphub_delivery_attempts_total{destination=\"customer-service\",outcome=\"quota_wait\","
                + "reason=\"qiyu_checksum\"}";
        double waitsBefore = metric(waits);
        publish("q6-login", "mp.user.login", "oQiyuAfterReset", Events.login("oQiyuAfterReset"));

        Consumer consumer = fixture.hub.camel().getRoute("deliver-customer-service").getConsumer();
        await().atMost(60, TimeUnit.SECONDS).until(() -> ServiceHelper.isSuspended(consumer));
        assertThat(metric(waits) - waitsBefore).isEqualTo(1.0);
        assertThat(deadLetters()).noneMatch(r -> "q6-login".equals(header(r, "ce_id")));
        assertThat(qiyu.callsOf("oQiyuAfterReset")).isEmpty();
        List<String> errors = fixture.logs().errors().stream().filter(l -> l.contains("q6-login")).toList();
        assertThat(errors).singleElement().asString().contains("code 14002", "MPHUB_QIYU_APP_SECRET", "10 min");
        String metrics = metrics();
        List<String> lines = fixture.logs().messages();
        for (String secret : List.of(APP_SECRET, resetSecret)) {
            assertThat(metrics).doesNotContain(secret);
            assertThat(lines).isNotEmpty().noneMatch(l -> l.contains(secret));
        }
    }

    private static void publish(String id, String type, String user, String data) {
        String topic = type.startsWith("mp.user.") ? "mp.events.login" : "mp.events.order";
        fixture.kafka.publish(topic, user, Events.structured(id, type, user, data));
    }

    private static List<Call> calls(String user, int count) {
        await().atMost(60, TimeUnit.SECONDS).until(() -> qiyu.callsOf(user).size() >= count);
        return qiyu.callsOf(user);
    }

    private static JsonNode findItem(Call call, String key) {
        for (JsonNode item : call.userinfo()) {
            if (key.equals(item.path("key").asText())) {
                return item;
            }
        }
        throw new AssertionError("no item " + key);
    }

    private static List<ConsumerRecord<String, byte[]>> deadLetters() {
        return fixture.kafka.readAll("mp.dlq.customer-service");
    }

    private static String metrics() throws Exception {
        return fixture.hub.metrics();
    }

    private static double metric(String series) throws Exception {
        return fixture.hub.metric(series);
    }

}
