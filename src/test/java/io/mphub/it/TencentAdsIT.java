package io.mphub.it;

import static io.mphub.testing.TestKafka.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.testing.Events;
import io.mphub.testing.TencentAdsSandbox;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kind tencent-ads end to end: real broker, real hub, and a local Tencent Ads Marketing API ({@link TencentAdsSandbox})
 * checking every request's token, timestamp, nonce, account and actions as Tencent documents them. analytics is the
 * tencent-ads destination here, with a data contract that keeps the openid (the kind needs it).
 */
class TencentAdsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ACCOUNT = 25610;
    private static final long ACTION_SET = 1107654321;

    @RegisterExtension
    static final HubFixture fixture = new HubFixture();
    private static TencentAdsSandbox ads;

    @BeforeAll
    static void start() throws Exception {
        ads = fixture.closing(TencentAdsSandbox.start(ACCOUNT, ACTION_SET));
        Map<String, String> p = new HashMap<>(fixture.analyticsWhole());
        p.put("mphub.destinations.analytics.kind", "tencent-ads");
        p.put("mphub.destinations.analytics.url", ads.url());
        p.put("mphub.destinations.analytics.batch.max-wait-ms", "200");
        p.put("mphub.destinations.analytics.retry.max-attempts", "2");
        p.put("mphub.tencentads.account-id", String.valueOf(ACCOUNT));
        p.put("mphub.tencentads.user-action-set-id", String.valueOf(ACTION_SET));
        p.put("mphub.tencentads.access-token", ads.accessToken());
        fixture.startHub(p);
    }

    @Test
    void ordersAreReportedAsConversionsWithTheClickIdAndAmountAndOtherTypesAreNot() throws Exception {
        String user = "oAdsUser1";
        String created = Events.structured("ads-created-1", "mp.order.created", user,
                Events.orderCreated(user, "ADS0000001").replace("\"openId\"", "\"adClickId\":\"wx0ad1c2k3\",\"openId\""));
        fixture.kafka.publish("mp.events.order", user, created);
        fixture.kafka.publish("mp.events.order", user, Events.structured("ads-paid-1", "mp.order.paid", user,
                Events.orderPaid(user, "ADS0000001")));
        fixture.kafka.publish("mp.events.login", user, Events.structured("ads-login-1", "mp.user.login", user,
                Events.login(user)));

        await().atMost(60, TimeUnit.SECONDS).until(() -> actionsOf(user).size() == 2);
        JsonNode order = actionsOf(user).stream().filter(a -> a.path("action_type").asText().equals("COMPLETE_ORDER"))
                .findFirst().orElseThrow();
        assertThat(order.at("/user_id/wechat_openid").asText()).isEqualTo(user);
        assertThat(order.at("/user_id/wechat_app_id").asText()).isEqualTo(Events.APP);
        assertThat(order.at("/trace/click_id").asText()).isEqualTo("wx0ad1c2k3");
        assertThat(order.path("action_time").asLong())
                .isEqualTo(OffsetDateTime.parse(JSON.readTree(created).get("time").asText()).toEpochSecond());
        assertThat(order.path("outer_action_id").asText()).hasSize(64);
        JsonNode purchase = actionsOf(user).stream().filter(a -> a.path("action_type").asText().equals("PURCHASE"))
                .findFirst().orElseThrow();
        assertThat(purchase.at("/action_param/value").asLong()).isEqualTo(1999);
        assertThat(purchase.has("trace")).isFalse();
        assertThat(ads.problems()).isEmpty();
        await().atMost(30, TimeUnit.SECONDS).until(() -> fixture.hub.metric(
                "mphub_delivery_attempts_total{destination=\"analytics\",outcome=\"skipped\",reason=\"no_action_type\"}")
                >= 1);
    }

    @Test
    void aBurstGoesInRequestsOfAtMostFiftyActionsEachReportedOnce() {
        List<String> ids = fixture.publishOrders("ads-burst-", 120);

        await().atMost(60, TimeUnit.SECONDS).until(() -> ads.accepted().stream()
                .filter(a -> a.at("/user_id/wechat_openid").asText().startsWith("oOrders")).count() >= ids.size());
        List<JsonNode> burst = ads.accepted().stream()
                .filter(a -> a.at("/user_id/wechat_openid").asText().startsWith("oOrders")).toList();
        assertThat(burst).hasSize(ids.size());
        assertThat(burst.stream().map(a -> a.path("outer_action_id").asText())).doesNotHaveDuplicates();
        assertThat(ads.requests()).allSatisfy(r -> assertThat(r.actions()).hasSizeBetween(1, 50));
        assertThat(ads.requests().stream().map(TencentAdsSandbox.Request::nonce)).doesNotHaveDuplicates();
        assertThat(ads.problems()).isEmpty();
    }

    @Test
    void actionsTencentRefusesAreIsolatedAndDeadLetteredWithTheCodeAndTheOthersReported() {
        ads.refuseUser("oAdsRefused", 31001);
        fixture.kafka.publish("mp.events.order", "oAdsRefused", Events.structured("ads-refused-1", "mp.order.created",
                "oAdsRefused", Events.orderCreated("oAdsRefused", "ADS0000091")));
        for (int i = 0; i < 5; i++) {
            String user = "oAdsFine" + i;
            fixture.kafka.publish("mp.events.order", user, Events.structured("ads-fine-" + i, "mp.order.created", user,
                    Events.orderCreated(user, "ADS000010" + i)));
        }

        await().atMost(60, TimeUnit.SECONDS).until(() -> deadLetter("ads-refused-1") != null);
        assertThat(header(deadLetter("ads-refused-1"), "mphub.error.reason")).isEqualTo("code_31001");
        await().atMost(60, TimeUnit.SECONDS).until(() -> ads.accepted().stream()
                .filter(a -> a.at("/user_id/wechat_openid").asText().startsWith("oAdsFine")).count() == 5);
        assertThat(ads.accepted()).noneMatch(a -> a.at("/user_id/wechat_openid").asText().equals("oAdsRefused"));
        for (int i = 0; i < 5; i++) {
            assertThat(deadLetter("ads-fine-" + i)).isNull();
        }
    }

    private static List<JsonNode> actionsOf(String user) {
        return ads.accepted().stream().filter(a -> a.at("/user_id/wechat_openid").asText().equals(user)).toList();
    }

    private static ConsumerRecord<String, byte[]> deadLetter(String id) {
        return fixture.kafka.readAll("mp.dlq.analytics").stream().filter(r -> id.equals(header(r, "ce_id")))
                .findFirst().orElse(null);
    }
}
