package io.mphub.it;

import static io.mphub.testing.TestKafka.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.privacy.Audit;
import io.mphub.privacy.Pseudonyms;
import io.mphub.testing.Events;
import io.mphub.testing.HubProcess;
import io.mphub.testing.JarCommand;
import io.mphub.testing.PrivacyKeys;
import io.mphub.testing.Receiver;
import io.mphub.testing.TestRoutes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each third party gets only what its destination file allows, through the real broker to receivers that check every
 * signature: the shipped analytics contract (pseudonyms, a masked phone, a coarsened IP and location), a second
 * destination pseudonymizing under its own key, the audit topic and the audit command of the packaged jar.
 */
class PrivacyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final HubFixture fixture = new HubFixture();
    @TempDir
    static Path temp;
    private static Path routes;

    @BeforeAll
    static void start() throws Exception {
        routes = TestRoutes.copyInto(temp);
        // customer-service pseudonymizes the user too, under its own key (two third parties that cannot join), and
        // gets no location at all.
        TestRoutes.edit(routes.resolve("destinations/customer-service.camel.yaml"), "        value: customer-service",
                "        value: customer-service\n      - name: pseudonymize\n        value: subject, data.openId,"
                        + " data.unionId"
                        + "\n      - name: drop\n        value: data.location");
        fixture.startHub(Map.of("mphub.routes.dir", routes.toString()));
    }

    private static String login(String id, String user, String ip) {
        String data = "{\"appId\":\"" + Events.APP + "\",\"openId\":\"" + user + "\",\"unionId\":\"oUnion" + user
                + "\",\"scene\":1001,\"platform\":\"ios\",\"ip\":\"" + ip + "\",\"location\":{\"latitude\":31.230416,"
                + "\"longitude\":121.473701}}";
        fixture.kafka.publish("mp.events.login", user, Events.structured(id, "mp.user.login", user, data));
        return id;
    }

    private static JsonNode arrived(String destination, String id) throws Exception {
        Receiver r = fixture.receiver(destination);
        await().atMost(60, TimeUnit.SECONDS).until(() -> !r.attemptsOf(id).isEmpty());
        assertThat(r.attemptsOf(id).get(0).signatureValid()).isTrue();
        return r.event(id);
    }

    @Test
    void analyticsGetsPseudonymsAndCoarsenedPlacesWhileCustomerServiceHasItsOwnPseudonym() throws Exception {
        String user = "oPrivacyUser1";
        login("pv-login-4", user, "203.0.113.77");
        login("pv-login-6", user, "2001:db8:85a3:1234:5678::1");
        fixture.kafka.publish("mp.events.order", user, Events.structured("pv-shipped", "mp.order.shipped", user,
                Events.orderShipped(user, "PV000001")));

        JsonNode analytics = arrived("analytics", "pv-login-4");
        String pseudonym = PrivacyKeys.pseudonym("analytics", user);
        assertThat(analytics.path("subject").asText()).isEqualTo(pseudonym);
        assertThat(analytics.path("data").path("openId").asText()).isEqualTo(pseudonym);
        assertThat(analytics.path("data").path("unionId").asText())
                .isEqualTo(PrivacyKeys.pseudonym("analytics", "oUnion" + user));
        assertThat(analytics.path("data").path("ip").asText()).isEqualTo("203.0.113.0");
        assertThat(analytics.path("data").path("location")).isEqualTo(JSON.createObjectNode()
                .put("latitude", 31.23).put("longitude", 121.47));
        assertThat(analytics.path("data").path("scene").asInt()).isEqualTo(1001);
        assertThat(arrived("analytics", "pv-login-6").path("data").path("ip").asText()).isEqualTo("2001:db8:85a3::");
        assertThat(arrived("analytics", "pv-shipped").path("data").path("receiverPhone").asText())
                .isEqualTo("138****8000");
        assertThat(new String(fixture.receiver("analytics").attemptsOf("pv-login-4").get(0).body(),
                StandardCharsets.UTF_8)).doesNotContain(user).doesNotContain("203.0.113.77");

        JsonNode support = arrived("customer-service", "pv-login-4");
        String supportPseudonym = PrivacyKeys.pseudonym("customer-service", user);
        assertThat(support.path("subject").asText()).isEqualTo(supportPseudonym).isNotEqualTo(pseudonym);
        assertThat(support.path("data").path("openId").asText()).isEqualTo(supportPseudonym);
        assertThat(support.path("data").path("ip").asText()).isEqualTo("203.0.113.77");
        assertThat(support.path("data").has("location")).isFalse();
        assertThat(new String(fixture.receiver("customer-service").attemptsOf("pv-login-4").get(0).body(),
                StandardCharsets.UTF_8)).doesNotContain("31.230416").doesNotContain("latitude");

        JsonNode logistics = arrived("logistics", "pv-shipped");
        assertThat(logistics.path("subject").asText()).isEqualTo(user);
        assertThat(logistics.path("data").path("receiverPhone").asText()).isEqualTo("13800138000");
    }

    @Test
    void everyDeliveryIsAuditedWithoutTheOpenIdAndTheAuditCommandNamesWhoReceivedWhat() throws Exception {
        String user = "oPrivacyAudit1";
        login("pa-login", user, "198.51.100.9");
        fixture.kafka.publish("mp.events.behaviour", user, Events.structured("pa-tap", "mp.behaviour.tap", user,
                Events.behaviour(user, "pages/index/index")));
        arrived("analytics", "pa-tap");
        arrived("customer-service", "pa-login");

        String reference = Audit.userReference(new Pseudonyms(PrivacyKeys.AUDIT), Events.APP, user);
        List<ConsumerRecord<String, byte[]>> audit = await().atMost(30, TimeUnit.SECONDS).until(
                () -> fixture.kafka.readAll(Audit.TOPIC),
                records -> records.stream().filter(r -> new String(r.value(), StandardCharsets.UTF_8)
                        .contains(reference)).count() >= 2);
        for (ConsumerRecord<String, byte[]> r : audit) {
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).as("audit record").doesNotContain(user)
                    .doesNotContain("198.51.100.9");
        }
        JsonNode toAnalytics = audit.stream().map(r -> read(r.value()))
                .filter(r -> r.path("destination").asText().equals("analytics") && r.toString().contains("pa-login"))
                .findFirst().orElseThrow();
        assertThat(toAnalytics.path("outcome").asText()).isEqualTo("delivered");
        assertThat(toAnalytics.path("scope").asText()).isEqualTo("analytics");
        JsonNode entry = List.copyOf(toAnalytics.path("events").findParents("id")).stream()
                .filter(e -> e.path("id").asText().equals("pa-login")).findFirst().orElseThrow();
        assertThat(entry.path("user").asText()).isEqualTo(reference);
        assertThat(entry.path("sentAs").asText()).isEqualTo(PrivacyKeys.pseudonym("analytics", user));
        assertThat(entry.path("fields").toString()).contains("subject:pseudonymized", "data.openId:pseudonymized",
                "data.ip:coarsened", "data.location:coarsened");
        assertThat(fixture.hub.metric("mphub_privacy_fields_shared_total{as=\"coarsened\",destination=\"analytics\","
                + "field=\"data.ip\"}")).isGreaterThanOrEqualTo(1);

        Map<String, String> env = new HashMap<>(HubProcess.baseEnv(fixture.kafka.bootstrapServers()));
        env.putAll(PrivacyKeys.env(fixture.receivers.keySet()));
        env.put("MPHUB_ROUTES_DIR", routes.toString());
        JarCommand.Run run = JarCommand.run(temp, env, "audit", "--app", Events.APP, "--user", user, "--since", "1d");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.out()).contains("received: analytics, customer-service\n")
                .contains("knows the user as: " + PrivacyKeys.pseudonym("analytics", user) + " (its pseudonym)")
                .contains("nothing of this user: logistics, notifications, payment")
                .doesNotContain("198.51.100.9");
        assertThat(run.output()).doesNotContain(PrivacyKeys.AUDIT);
    }

    @Test
    void anEventSentAndRefusedIsAuditedAsSentNotTaken() throws Exception {
        String user = "oPrivacyRefused1";
        Receiver support = fixture.receiver("customer-service");
        support.answer(a -> "pf-refused".equals(a.webhookId()) ? Receiver.Answer.of(400) : Receiver.Answer.of(204));
        try {
            login("pf-refused", user, "192.0.2.7");
            String reference = Audit.userReference(new Pseudonyms(PrivacyKeys.AUDIT), Events.APP, user);
            JsonNode record = await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.read(Audit.TOPIC,
                            Integer.MAX_VALUE, Duration.ofSeconds(1)).stream().map(r -> read(r.value()))
                    .filter(r -> r.path("destination").asText().equals("customer-service")
                            && r.path("events").findValuesAsText("id").contains("pf-refused")).findFirst(),
                    java.util.Optional::isPresent).orElseThrow();
            assertThat(record.path("outcome").asText()).isEqualTo("failed");
            assertThat(record.path("reason").asText()).isEqualTo("http_4xx");
            assertThat(record.path("events").get(0).path("user").asText()).isEqualTo(reference);
            assertThat(record.path("events").get(0).path("sentAs").asText())
                    .isEqualTo(PrivacyKeys.pseudonym("customer-service", user));
            assertThat(support.attemptsOf("pf-refused")).isNotEmpty();
        } finally {
            support.answer(a -> Receiver.Answer.of(204));
        }
    }

    @Test
    void aPseudonymIsStableAcrossARestartOfThePackagedJar() throws Exception {
        String user = "oPrivacyRestart1";
        Map<String, String> env = fixture.env();
        env.put("MPHUB_ROUTES_DIR", routes.toString());
        // The packaged jar alone delivers: the in-process hub stops for this test.
        fixture.hub.close();
        try {
            for (String run : List.of("first", "second")) {
                try (HubProcess hub = HubProcess.start(env, temp.resolve("restart-" + run + ".log"))) {
                    String id = login("pr-" + run, user, "192.0.2.1");
                    assertThat(arrived("analytics", id).path("subject").asText())
                            .isEqualTo(PrivacyKeys.pseudonym("analytics", user));
                }
            }
        } finally {
            fixture.startHub(Map.of("mphub.routes.dir", routes.toString()));
        }
    }

    @Test
    void aContractPseudonymizingWeChatPaysPayerStopsStartUpAtFileAndLine() throws Exception {
        Path own = TestRoutes.copyInto(temp.resolve("wechatpay"));
        Path payment = own.resolve("destinations/payment.camel.yaml");
        int line = TestRoutes.edit(payment, "        value: payment",
                "        value: payment\n      - name: pseudonymize\n        value: data.openId") + 2;
        Map<String, String> env = fixture.env();
        env.put("MPHUB_ROUTES_DIR", own.toString());
        env.put("MPHUB_DESTINATIONS_PAYMENT_KIND", "wechatpay-v3");

        Path log = temp.resolve("wechatpay-refused.log");
        Process hub = HubProcess.start(env, log).process();

        assertThat(hub.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(hub.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains(payment + ":" + line + ": destination 'payment' is of kind"
                + " wechatpay-v3, which needs the real data.openId (the payer's openid: WeChat Pay charges this user),"
                + " and this contract has it pseudonymized").contains("fix: leave data.openId as it is");
    }

    private static JsonNode read(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
