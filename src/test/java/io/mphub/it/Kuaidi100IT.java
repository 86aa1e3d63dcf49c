package io.mphub.it;

import static io.mphub.testing.TestKafka.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import com.kuaidi100.sdk.response.SubscribePushData;
import com.kuaidi100.sdk.response.SubscribePushParamResp;
import com.kuaidi100.sdk.response.SubscribePushResult;
import com.kuaidi100.sdk.utils.SignUtils;
import io.mphub.testing.Events;
import io.mphub.testing.Kuaidi100Sandbox;
import io.mphub.testing.Kuaidi100Sandbox.PushAnswer;
import io.mphub.testing.Kuaidi100Sandbox.Subscription;
import io.mphub.testing.PublicGateway;
import io.mphub.testing.Receiver;
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
 * Kind kuaidi100 end to end: shipped orders become subscriptions at a local Kuaidi100 that checks the form and the
 * key and answers scripted result codes; the sandbox then pushes back through the hub's public address like
 * Kuaidi100 does, and the hub publishes mp.logistics.updated on mp.results (and routes it on) only for pushes
 * signed with the subscription's salt.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Kuaidi100IT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = TestSecrets.hex(12);
    private static final String SALT = TestSecrets.hex(32);
    private static final String SUCCESS = "{\"result\":true,\"returnCode\":\"200\",\"message\":\"成功\"}";

    @RegisterExtension
    static final HubFixture fixture = new HubFixture();
    private static Kuaidi100Sandbox kuaidi100;
    private static PublicGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        fixture.logs();
        kuaidi100 = fixture.closing(Kuaidi100Sandbox.start(KEY));
        // The waybill number says how the sandbox answers: SF<code>…, and SF500… fails once, then subscribes.
        kuaidi100.script((param, attempt) -> {
            String code = param.getNumber().substring(2, 5);
            return code.equals("500") && attempt > 1 ? "200" : code;
        });
        gateway = fixture.closing(PublicGateway.start());
        fixture.startHub(Map.of(
                "mphub.destinations.logistics.kind", "kuaidi100",
                "mphub.destinations.logistics.url", kuaidi100.url(),
                "mphub.kuaidi100.key", KEY,
                "mphub.kuaidi100.salt", SALT,
                "mphub.kuaidi100.callback-url", gateway.url("/callbacks/kuaidi100"),
                "mphub.delivery.retry.max-attempts", "4"));
        gateway.forwardTo(fixture.hub.httpPort());
    }

    @Test
    @Order(1)
    void shippedOrderIsSubscribedAndItsPushPublishedAsLogisticsUpdatedWithKuaidi100sSuccessAnswer() throws Exception {
        String user = "oK100User1";
        shipped("k1-shipped", user, "K100ORDER01", "SF2000000001");
        Subscription subscription = subscription("SF2000000001");

        assertThat(subscription.answeredCode()).isEqualTo("200");
        assertThat(subscription.param().getKey()).isEqualTo(KEY);
        assertThat(subscription.param().getCompany()).isEqualTo("shunfeng");
        assertThat(subscription.param().getParameters().getPhone()).isEqualTo("13800138000");
        assertThat(subscription.callbackUrl()).isEqualTo(gateway.url("/callbacks/kuaidi100") + "?appId=" + Events.APP
                + "&openId=" + user + "&orderId=K100ORDER01&waybillNo=SF2000000001");
        assertThat(subscription.salt()).hasSize(32).isNotEqualTo(SALT);

        PushAnswer answer = kuaidi100.push(subscription, push("SF2000000001", "0", "polling", "快件已发车", "已揽收"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body())).isEqualTo(JSON.readTree(SUCCESS));
        JsonNode event = JSON.readTree(results("SF2000000001", 1).get(0).value());
        assertThat(event.get("type").asText()).isEqualTo("mp.logistics.updated");
        assertThat(event.get("source").asText()).isEqualTo("/mphub");
        assertThat(event.get("subject").asText()).isEqualTo(user);
        JsonNode data = event.get("data");
        assertThat(data.get("appId").asText()).isEqualTo(Events.APP);
        assertThat(data.get("orderId").asText()).isEqualTo("K100ORDER01");
        assertThat(data.get("openId").asText()).isEqualTo(user);
        assertThat(data.get("carrier").asText()).isEqualTo("shunfeng");
        assertThat(data.get("state").asText()).isEqualTo("0");
        assertThat(data.get("status").asText()).isEqualTo("polling");
        assertThat(data.get("latest").get("context").asText()).isEqualTo("快件已发车");
        assertThat(data.get("checkpoints")).hasSize(2);

        // The hub routes its own event on like any other: customer-service receives it, signed.
        String id = event.get("id").asText();
        Receiver customerService = fixture.receiver("customer-service");
        await().atMost(60, TimeUnit.SECONDS).until(() -> customerService.delivered().contains(id));
        assertThat(customerService.attemptsOf(id).get(0).signatureValid()).isTrue();
        assertThat(kuaidi100.subscriptionsOf("SF2000000001")).hasSize(1);
        assertThat(deadLetters().stream().filter(r -> "k1-shipped".equals(header(r, "ce_id")))).isEmpty();
    }

    @Test
    @Order(2)
    void aRepeatedPushIsAnsweredSuccessAgainAndPublishesNothingNew() throws Exception {
        shipped("k2-shipped", "oK100User2", "K100ORDER02", "SF2000000002");
        Subscription subscription = subscription("SF2000000002");
        String param = push("SF2000000002", "3", "shutdown", "已签收，签收人：本人");

        String duplicate = "mphub_callbacks_total{callback=\"kuaidi100\",outcome=\"duplicate\"}";
        assertThat(kuaidi100.push(subscription, param).body()).isEqualTo(SUCCESS);
        assertThat(results("SF2000000002", 1)).hasSize(1);
        assertThat(kuaidi100.push(subscription, param).body()).isEqualTo(SUCCESS);

        // Once the repeat is answered, whatever it published is in Kafka: nothing new.
        assertThat(resultsNow("SF2000000002")).hasSize(1);
        assertThat(metric(duplicate)).isEqualTo(1.0);
    }

    @Test
    @Order(3)
    void alreadySubscribed501CountsAsDoneAndIsCountedApart() throws Exception {
        String already = "mphub_kuaidi100_already_subscribed_total{destination=\"logistics\"}";
        double alreadyBefore = metric(already);
        String user = "oK100User3";
        shipped("k3-dup", user, "K100ORDER03", "SF5010000003");
        // Same user, so the same partition and consumer: this one is attempted only once the first is done.
        shipped("k3-next", user, "K100ORDER03", "SF2000000003");
        subscription("SF2000000003");

        assertThat(kuaidi100.subscriptionsOf("SF5010000003")).extracting(Subscription::answeredCode).containsExactly("501");
        assertThat(deadLetters().stream().filter(r -> "k3-dup".equals(header(r, "ce_id")))).isEmpty();
        assertThat(metric(already) - alreadyBefore).isEqualTo(1.0);
    }

    @Test
    @Order(5)
    void aServerError500IsRetriedWithTheSameSubscriptionUntilItIsTaken() {
        shipped("k5-busy", "oK100User5", "K100ORDER05", "SF5000000005");

        await().atMost(60, TimeUnit.SECONDS).until(() -> kuaidi100.subscriptionsOf("SF5000000005").size() == 2);
        List<Subscription> attempts = kuaidi100.subscriptionsOf("SF5000000005");
        assertThat(attempts).extracting(Subscription::answeredCode).containsExactly("500", "200");
        assertThat(attempts.get(1).rawParam()).isEqualTo(attempts.get(0).rawParam());
    }

    @Test
    @Order(6)
    void forgedTamperedAndMalformedPushesAreRefusedAndPublishNothing() throws Exception {
        shipped("k6-shipped", "oK100User6", "K100ORDER06", "SF2000000006");
        Subscription subscription = subscription("SF2000000006");
        String param = push("SF2000000006", "5", "polling", "派件中");
        String url = subscription.callbackUrl();
        String badSignature = "mphub_callbacks_total{callback=\"kuaidi100\",outcome=\"bad_signature\"}";
        String malformed = "mphub_callbacks_total{callback=\"kuaidi100\",outcome=\"malformed\"}";
        double badSignatureBefore = metric(badSignature);
        double malformedBefore = metric(malformed);

        PushAnswer forged = kuaidi100.post(url, form(param, SignUtils.sign(param + "a-guessed-salt")));
        PushAnswer tampered = kuaidi100.post(url.replace("openId=oK100User6", "openId=oVictim"),
                form(param, SignUtils.sign(param + subscription.salt())));
        PushAnswer unsigned = kuaidi100.post(url, "param=" + URLEncoder.encode(param, UTF_8));
        PushAnswer noParam = kuaidi100.post(url, "sign=ABC");
        PushAnswer notJson = kuaidi100.post(url, form("not json", SignUtils.sign("not json" + subscription.salt())));
        PushAnswer noContext = kuaidi100.post(gateway.url("/callbacks/kuaidi100"),
                form(param, SignUtils.sign(param + subscription.salt())));

        assertThat(List.of(forged, tampered, unsigned)).extracting(PushAnswer::status).containsOnly(401);
        assertThat(List.of(noParam, notJson, noContext)).extracting(PushAnswer::status).containsOnly(400);
        assertThat(JSON.readTree(forged.body()).get("result").asBoolean()).isFalse();
        // A refusal answers before anything could be written, and the genuine push after them is the first record
        // of this waybill on mp.results (one user, one partition: an earlier record would come before it).
        assertThat(kuaidi100.push(subscription, param).status()).isEqualTo(200);
        assertThat(results("SF2000000006", 1)).hasSize(1);
        // The listener counts an answer before sending it: every refusal above is counted by now.
        assertThat(metric(badSignature) - badSignatureBefore).isEqualTo(3.0);
        assertThat(metric(malformed) - malformedBefore).isEqualTo(3.0);
    }

    @Test
    @Order(7)
    void aPushWhoseNumberKuaidi100WroteItsOwnWayIsPublishedUnderTheSubscribedNumber() throws Exception {
        shipped("k7-shipped", "oK100User7", "K100ORDER07", "SF2000000007");
        Subscription subscription = subscription("SF2000000007");

        PushAnswer answer = kuaidi100.push(subscription, push("sf 2000000007", "1", "polling", "已揽收"));

        assertThat(answer.status()).isEqualTo(200);
        JsonNode data = JSON.readTree(results("SF2000000007", 1).get(0).value()).get("data");
        assertThat(data.get("waybillNo").asText()).isEqualTo("SF2000000007");
        assertThat(data.get("orderId").asText()).isEqualTo("K100ORDER07");
    }

    @Test
    @Order(99) // last but the secrets check: the destination stays paused for the 10-minute window
    void aRefusedKey600PausesTheDestinationNamingTheSettingAndDeadLettersNothing() throws Exception {
        String waits = "mphub_delivery_attempts_total{destination=\"logistics\",outcome=\"quota_wait\","
                + "reason=\"kuaidi100_key\"}";
        double waitsBefore = metric(waits);
        shipped("k4-badkey", "oK100User4", "K100ORDER04", "SF6000000004");

        Consumer consumer = fixture.hub.camel().getRoute("deliver-logistics").getConsumer();
        await().atMost(60, TimeUnit.SECONDS).until(() -> ServiceHelper.isSuspended(consumer));
        assertThat(metric(waits) - waitsBefore).isEqualTo(1.0);
        assertThat(kuaidi100.subscriptionsOf("SF6000000004")).extracting(Subscription::answeredCode)
                .containsExactly("600");
        assertThat(deadLetters()).noneMatch(r -> "k4-badkey".equals(header(r, "ce_id")));
        List<String> errors = fixture.logs().errors().stream().filter(l -> l.contains("k4-badkey")).toList();
        assertThat(errors).singleElement().asString().contains("returnCode 600", "MPHUB_KUAIDI100_KEY", "10 min");
    }

    @Test
    @Order(100)
    void neitherTheKeyNorAnySaltShowsInTheLogsOrMetrics() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(KEY, SALT));
        kuaidi100.subscriptionsOf("SF2000000001").forEach(s -> secrets.add(s.salt()));
        String metrics = metrics();
        List<String> lines = fixture.logs().messages();

        assertThat(lines).anyMatch(l -> l.contains("callback kuaidi100"));
        for (String secret : secrets) {
            assertThat(metrics).doesNotContain(secret);
            assertThat(lines).noneMatch(l -> l.contains(secret));
        }
    }

    private static void shipped(String id, String user, String order, String waybill) {
        fixture.kafka.publish("mp.events.order", user, Events.structured(id, "mp.order.shipped", user,
                Events.orderShipped(user, order).replace("SF1234567890", waybill)));
    }

    private static Subscription subscription(String waybill) {
        await().atMost(60, TimeUnit.SECONDS).until(() -> !kuaidi100.subscriptionsOf(waybill).isEmpty());
        return kuaidi100.subscriptionsOf(waybill).get(0);
    }

    /** A push as Kuaidi100's SDK models it, newest checkpoint first, written with the Gson it uses. */
    private static String push(String waybill, String state, String status, String... contextsNewestFirst) {
        SubscribePushResult last = new SubscribePushResult();
        last.setMessage("ok");
        last.setStatus("200");
        last.setState(state);
        last.setIscheck("3".equals(state) ? "1" : "0");
        last.setCom("shunfeng");
        last.setNu(waybill);
        List<SubscribePushData> data = new ArrayList<>();
        for (int i = 0; i < contextsNewestFirst.length; i++) {
            SubscribePushData checkpoint = new SubscribePushData();
            checkpoint.setContext(contextsNewestFirst[i]);
            checkpoint.setTime("2026-11-24 1" + (contextsNewestFirst.length - i) + ":00:00");
            checkpoint.setFtime(checkpoint.getTime());
            checkpoint.setAreaName("广东,深圳市");
            data.add(checkpoint);
        }
        last.setData(data);
        SubscribePushParamResp push = new SubscribePushParamResp();
        push.setStatus(status);
        push.setBillstatus("got");
        push.setMessage("");
        push.setLastResult(last);
        return new Gson().toJson(push);
    }

    private static String form(String param, String sign) {
        return "param=" + URLEncoder.encode(param, UTF_8) + "&sign=" + sign;
    }

    /** The mp.results records about this waybill, waiting until there are at least {@code count}. */
    private static List<ConsumerRecord<String, byte[]>> results(String waybill, int count) {
        await().atMost(60, TimeUnit.SECONDS).until(() -> resultsNow(waybill).size() >= count);
        return resultsNow(waybill);
    }

    private static List<ConsumerRecord<String, byte[]>> resultsNow(String waybill) {
        return fixture.kafka.readAll("mp.results").stream()
                .filter(r -> new String(r.value(), UTF_8).contains("\"waybillNo\":\"" + waybill + "\"")).toList();
    }

    private static List<ConsumerRecord<String, byte[]>> deadLetters() {
        return fixture.kafka.readAll("mp.dlq.logistics");
    }

    private static String metrics() throws Exception {
        return fixture.hub.metrics();
    }

    private static double metric(String series) throws Exception {
        return fixture.hub.metric(series);
    }

}
