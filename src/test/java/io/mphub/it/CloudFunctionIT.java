package io.mphub.it;

import static io.mphub.testing.TestKafka.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.event.EventContract;
import io.mphub.testing.Contracts;
import io.mphub.testing.Events;
import io.mphub.testing.TestKafka;
import io.mphub.testing.WeChatSandbox;
import io.mphub.testing.WeChatSandbox.Invocation;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kind wechat-cloud-function end to end: real broker, real hub, and a local WeChat ({@link WeChatSandbox}) that checks
 * each access token, runs the sandbox's cloud functions with the body as their input and answers as
 * invokeCloudFunction does. Destination customer-service is the cloud-function destination here (it receives orders, paid and shipped).
 */
class CloudFunctionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A mini program with cloud development on, and one without (WeChat answers 85088). */
    private static final String CLOUD = "wx00000000000c1d01";
    private static final String NO_CLOUD = "wx00000000000c1d02";
    private static final String ENV = "prod-3g5x1a";
    private static final String SKIPPED = "mphub_delivery_attempts_total{destination=\"customer-service\","
            + "outcome=\"skipped\",reason=\"no_function\"}";

    @RegisterExtension
    static final HubFixture fixture = new HubFixture();
    private static WeChatSandbox wechat;
    private static EventContract contract;

    @BeforeAll
    static void start() throws Exception {
        contract = Contracts.load(JSON);
        wechat = fixture.closing(WeChatSandbox.start());
        String cloudSecret = WeChatSandbox.newSecret();
        String noCloudSecret = WeChatSandbox.newSecret();
        wechat.app(CLOUD, cloudSecret).app(NO_CLOUD, noCloudSecret);
        // An order named HUGE… gets a result larger than any Kafka record the hub may write.
        wechat.cloudFunction(CLOUD, ENV, "onOrderShipped", input -> "{\"notified\":true,\"order\":\""
                + input.at("/data/orderId").asText() + "\"" + (input.at("/data/orderId").asText().startsWith("HUGE")
                        ? ",\"pad\":\"" + "x".repeat(2 << 20) + "\"" : "") + "}");
        wechat.cloudFunction(CLOUD, ENV, "onOrderPaid", input -> "done");

        Path functions = Files.createTempDirectory("mphub-cloud").resolve("cloud-functions.yaml");
        Files.writeString(functions, """
                env: {%s: %s, %s: prod-none}
                functions:
                  mp.order.shipped: {name: onOrderShipped, publishResult: true}
                  mp.order.paid: onOrderPaid
                """.formatted(CLOUD, ENV, NO_CLOUD));
        Map<String, String> p = new HashMap<>();
        p.put("mphub.destinations.customer-service.kind", "wechat-cloud-function");
        p.put("mphub.destinations.customer-service.url", wechat.url());
        p.put("mphub.destinations.customer-service.retry.max-attempts", "3");
        p.put("mphub.wechat.api-url", wechat.url());
        p.put("mphub.wechat.app-ids", CLOUD + "," + NO_CLOUD);
        p.put("mphub.wechat.apps." + CLOUD + ".secret", cloudSecret);
        p.put("mphub.wechat.apps." + NO_CLOUD + ".secret", noCloudSecret);
        p.put("mphub.wechat.cloud-functions", functions.toString());
        fixture.startHub(p);
    }

    @Test
    void anEventInvokesItsFunctionWithItselfAsInputAndTheReturnedValueIsPublished() throws Exception {
        String user = "oCloudUser1";
        fixture.kafka.publish("mp.events.order", user, shipped("cf-shipped-1", CLOUD, user, "CLOUD00001"));

        Invocation call = awaitInvocation("cf-shipped-1");
        assertThat(call.appId()).isEqualTo(CLOUD);
        assertThat(call.env()).isEqualTo(ENV);
        assertThat(call.name()).isEqualTo("onOrderShipped");
        assertThat(call.input().get("type").asText()).isEqualTo("mp.order.shipped");
        assertThat(call.input().at("/data/orderId").asText()).isEqualTo("CLOUD00001");
        assertThat(call.errcode()).isZero();

        await().atMost(30, TimeUnit.SECONDS).until(() -> returned("cf-shipped-1").isPresent());
        JsonNode returned = returned("cf-shipped-1").orElseThrow();
        assertThat(returned.get("type").asText()).isEqualTo("mp.cloud.function_returned");
        assertThat(returned.get("id").asText()).isEqualTo("cloudfn-cf-shipped-1");
        assertThat(returned.get("causationid").asText()).isEqualTo("cf-shipped-1");
        assertThat(returned.get("subject").asText()).isEqualTo(user);
        assertThat(returned.get("data")).isEqualTo(JSON.readTree("{\"appId\":\"" + CLOUD + "\",\"env\":\"" + ENV
                + "\",\"function\":\"onOrderShipped\",\"eventType\":\"mp.order.shipped\","
                + "\"result\":{\"notified\":true,\"order\":\"CLOUD00001\"}}"));
        contract.check((ObjectNode) returned);
    }

    @Test
    void aFunctionWithoutPublishResultPublishesNothing() throws Exception {
        String user = "oCloudUser2";
        fixture.kafka.publish("mp.events.order", user, Events.structured("cf-paid-2", "mp.order.paid", user,
                paidData(CLOUD, user, "CLOUD00002")));
        // the same user's next event: delivered in order, so once its result is out the first attempt has ended
        fixture.kafka.publish("mp.events.order", user, shipped("cf-shipped-2", CLOUD, user, "CLOUD00002"));

        await().atMost(60, TimeUnit.SECONDS).until(() -> returned("cf-shipped-2").isPresent());
        assertThat(invocations("cf-paid-2")).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("onOrderPaid");
            assertThat(c.errcode()).isZero();
        });
        assertThat(returned("cf-paid-2")).isEmpty();
    }

    @Test
    void anEventTypeWithoutAFunctionIsSkippedAndCounted() throws Exception {
        String user = "oCloudLogin";
        double skipped = fixture.hub.metric(SKIPPED);
        fixture.kafka.publish("mp.events.login", user, Events.structured("cf-login-5", "mp.user.login", user,
                Events.login(user).replace(Events.APP, CLOUD)));

        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.hub.metric(SKIPPED) > skipped);
        assertThat(invocations("cf-login-5")).isEmpty();
        assertThat(deadLetter("cf-login-5")).isEmpty();
    }

    @Test
    void busyIsRetriedAndAnInvalidTokenRenewedWithinTheAttempt() throws Exception {
        String user = "oCloudBusy";
        fixture.kafka.publish("mp.events.order", user, shipped("cf-warm-3", CLOUD, user, "CLOUD00030"));
        await().atMost(60, TimeUnit.SECONDS).until(() -> returned("cf-warm-3").isPresent()); // the hub has a token
        wechat.rotate(CLOUD); // then another server replaces it: the hub's token is dead
        wechat.script(user, -1); // and the next call that passes the token check finds WeChat busy
        fixture.kafka.publish("mp.events.order", user, shipped("cf-busy-3", CLOUD, user, "CLOUD00003"));

        await().atMost(60, TimeUnit.SECONDS).until(() -> returned("cf-busy-3").isPresent());
        // the dead token, renewed within the attempt; busy, retried; then done
        assertThat(invocations("cf-busy-3")).extracting(Invocation::errcode).containsExactly(40001, -1, 0);
        assertThat(deadLetter("cf-busy-3")).isEmpty();
    }

    @Test
    void cloudDevelopmentNotEnabledIsDeadLetteredWithTheCode() throws Exception {
        String user = "oNoCloud";
        fixture.kafka.publish("mp.events.order", user, shipped("cf-nocloud-4", NO_CLOUD, user, "CLOUD00004"));

        await().atMost(60, TimeUnit.SECONDS).until(() -> deadLetter("cf-nocloud-4").isPresent());
        ConsumerRecord<String, byte[]> dead = deadLetter("cf-nocloud-4").orElseThrow();
        assertThat(header(dead, "mphub.error.reason")).isEqualTo("errcode_85088");
        assertThat(invocations("cf-nocloud-4")).singleElement().extracting(Invocation::errcode).isEqualTo(85088);
        assertThat(returned("cf-nocloud-4")).isEmpty();
    }

    @Test
    void aResultTooLargeForKafkaIsDeadLetteredOnceNotInvokedAgain() throws Exception {
        String user = "oCloudHuge";
        fixture.kafka.publish("mp.events.order", user, shipped("cf-huge-6", CLOUD, user, "HUGE000006"));

        await().atMost(60, TimeUnit.SECONDS).until(() -> deadLetter("cf-huge-6").isPresent());
        assertThat(header(deadLetter("cf-huge-6").orElseThrow(), "mphub.error.reason")).isEqualTo("result_too_large");
        assertThat(invocations("cf-huge-6")).singleElement().extracting(Invocation::errcode).isEqualTo(0);
        assertThat(returned("cf-huge-6")).isEmpty();
    }

    private static String shipped(String id, String app, String user, String order) {
        return Events.structured(id, "mp.order.shipped", user, "{\"appId\":\"" + app + "\",\"orderId\":\"" + order
                + "\",\"openId\":\"" + user + "\",\"carrier\":\"shunfeng\",\"waybillNo\":\"SF" + order.substring(5)
                + "\",\"receiverPhone\":\"13800138000\"}");
    }

    private static String paidData(String app, String user, String order) {
        return Events.orderPaid(user, order).replace(Events.APP, app);
    }

    private static List<Invocation> invocations(String eventId) {
        return wechat.invocations().stream().filter(c -> c.input() != null
                && eventId.equals(c.input().path("id").asText())).toList();
    }

    private static Invocation awaitInvocation(String eventId) {
        await().atMost(60, TimeUnit.SECONDS).until(() -> invocations(eventId).stream().anyMatch(c -> c.errcode() == 0));
        return invocations(eventId).stream().filter(c -> c.errcode() == 0).findFirst().orElseThrow();
    }

    private static Optional<JsonNode> returned(String eventId) {
        return fixture.kafka.readAll("mp.results", "read_committed").stream().map(TestKafka::json)
                .filter(e -> eventId.equals(e.path("causationid").asText())).findFirst();
    }

    private static Optional<ConsumerRecord<String, byte[]>> deadLetter(String id) {
        return fixture.kafka.readAll("mp.dlq.customer-service").stream().filter(r -> id.equals(header(r, "ce_id")))
                .findFirst();
    }
}
