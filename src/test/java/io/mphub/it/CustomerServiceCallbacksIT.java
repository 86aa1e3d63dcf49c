package io.mphub.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.event.EventContract;
import io.mphub.testing.Contracts;
import io.mphub.testing.QiyuSandbox;
import io.mphub.testing.TestKafka;
import io.mphub.testing.TestSecrets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Qiyu's pushes and Meiqia's webhooks to the hub end to end: the real broker and hub; the pushes signed the way each
 * platform signs them, with digests of the test's own (QiyuSandbox's for Qiyu, SHA1 here for Meiqia). What is
 * published is read back from mp.results as the hub's consumers read it, and checked against the hub's contract;
 * what analytics receives of it, against its shipped data contract.
 */
class CustomerServiceCallbacksIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QIYU_KEY = TestSecrets.hex(16);
    private static final String QIYU_SECRET = TestSecrets.hex(16);
    private static final String MEIQIA_SECRET = TestSecrets.alphanumeric(32);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @RegisterExtension
    static final HubFixture fixture = new HubFixture();
    private static QiyuSandbox qiyu;
    private static EventContract contract;

    @BeforeAll
    static void start() throws Exception {
        contract = Contracts.load(JSON);
        qiyu = fixture.closing(QiyuSandbox.start(QIYU_KEY, QIYU_SECRET));
        fixture.startHub(Map.of("mphub.qiyu.app-key", QIYU_KEY, "mphub.qiyu.app-secret", QIYU_SECRET,
                "mphub.qiyu.message-text", "true", "mphub.meiqia.webhook-secret", MEIQIA_SECRET));
    }

    private static String hub(String path) {
        return "http://127.0.0.1:" + fixture.hub.httpPort() + path;
    }

    private static HttpResponse<String> qiyuPush(String eventType, String body) throws Exception {
        return qiyu.push(hub("/callbacks/qiyu"), eventType, body, Instant.now().getEpochSecond());
    }

    @Test
    void qiyusSessionMessageAndRatingPushesArePublishedOnceEachAsTheContractsEvents() throws Exception {
        String session = "9910" + Long.parseLong(TestSecrets.hex(3), 16);
        String user = "oQiyuPush" + TestSecrets.hex(3);
        String msgId = "m" + TestSecrets.hex(6);
        String sessionBody = "{\"code\":200,\"sessionId\":" + session + ",\"staffId\":3201,\"staffName\":\"小七\","
                + "\"uid\":\"" + user + "\",\"staffType\":0}";
        String message = "{\"uid\":\"" + user + "\",\"content\":\"您的包裹已发出\",\"staffId\":3201,"
                + "\"staffName\":\"小七\",\"timeStamp\":1764480000000,\"msgId\":\"" + msgId + "\",\"msgType\":\"TEXT\"}";

        for (HttpResponse<String> answer : List.of(qiyuPush("SESSION_START", sessionBody), qiyuPush("MSG", message),
                qiyuPush("EVA_INVITATION", sessionBody),
                qiyuPush("SESSION_END", sessionBody.replace("\"code\":200", "\"closeReason\":0")),
                qiyuPush("SESSION_DATA", "{\"id\":" + session + ",\"foreignId\":\"" + user + "\",\"staffId\":3201,"
                        + "\"evaluation\":100,\"evaluationType\":3,\"evaluationRemark\":\"很快\"}"))) {
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEmpty(); // Qiyu takes an empty body as done
        }
        // Qiyu pushes the message again (its answer was late): the same event, not a second one
        assertThat(qiyuPush("MSG", message).statusCode()).isEqualTo(200);

        Map<String, JsonNode> events = published("qiyu-");
        assertThat(events.keySet()).contains("qiyu-session_start-" + session, "qiyu-msg-" + msgId,
                "qiyu-eva_invitation-" + session, "qiyu-session_end-" + session, "qiyu-rated-" + session);
        assertThat(resultRecords().stream().filter(r -> id(r).equals("qiyu-msg-" + msgId))).hasSize(1);
        JsonNode started = events.get("qiyu-session_start-" + session);
        assertThat(started.get("type").asText()).isEqualTo("mp.cs.session_started");
        assertThat(started.get("subject").asText()).isEqualTo(user);
        assertThat(started.get("data")).isEqualTo(JSON.readTree("{\"platform\":\"qiyu\",\"openId\":\"" + user
                + "\",\"agentId\":\"3201\",\"sessionId\":\"" + session + "\"}"));
        assertThat(events.get("qiyu-msg-" + msgId).get("data")).isEqualTo(JSON.readTree("{\"platform\":\"qiyu\","
                + "\"openId\":\"" + user + "\",\"agentId\":\"3201\",\"messageId\":\"" + msgId + "\",\"msgType\":\"TEXT\","
                + "\"sentAt\":\"2025-11-30T05:20:00Z\",\"text\":\"您的包裹已发出\"}"));
        assertThat(events.get("qiyu-session_end-" + session).at("/data/closeReason").asInt()).isZero();
        assertThat(events.get("qiyu-eva_invitation-" + session).get("type").asText())
                .isEqualTo("mp.cs.rating_requested");
        JsonNode rated = events.get("qiyu-rated-" + session);
        assertThat(rated.get("type").asText()).isEqualTo("mp.cs.rated");
        assertThat(rated.at("/data/score").asInt()).isEqualTo(100);
        assertThat(rated.at("/data/scale").asInt()).isEqualTo(3);
        assertThat(rated.at("/data/remark").asText()).isEqualTo("很快");
        events.values().forEach(e -> contract.check((ObjectNode) e));
        assertThat(fixture.hub.metric(calls("qiyu", "duplicate"))).isGreaterThanOrEqualTo(1);

        // analytics gets them under its shipped contract: the user pseudonymized, the texts dropped
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.receiver("analytics").delivered()
                .contains("qiyu-msg-" + msgId));
        JsonNode delivered = fixture.receiver("analytics").event("qiyu-msg-" + msgId);
        assertThat(delivered.at("/data/openId").asText()).isNotEqualTo(user).hasSize(64);
        assertThat(delivered.get("data").has("text")).isFalse();
        assertThat(delivered.at("/data/messageId").asText()).isEqualTo(msgId);
    }

    @Test
    void aQiyuPushWithAWrongOrStaleChecksumIsRefusedAndPublishesNothing() throws Exception {
        String session = "9920" + Long.parseLong(TestSecrets.hex(3), 16);
        String body = "{\"sessionId\":" + session + ",\"uid\":\"oForged\"}";
        double refused = fixture.hub.metric(calls("qiyu", "bad_signature"));
        try (QiyuSandbox forger = QiyuSandbox.start(QIYU_KEY, TestSecrets.hex(16))) {
            assertThat(forger.push(hub("/callbacks/qiyu"), "SESSION_START", body, Instant.now().getEpochSecond())
                    .statusCode()).isEqualTo(401);
        }
        assertThat(qiyu.push(hub("/callbacks/qiyu"), "SESSION_START", body, Instant.now().getEpochSecond() - 6 * 60)
                .statusCode()).as("six minutes old").isEqualTo(401);
        HttpResponse<String> unsigned = HTTP.send(HttpRequest.newBuilder(URI.create(hub("/callbacks/qiyu?eventType="
                + "SESSION_START"))).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(401);

        assertThat(fixture.hub.metric(calls("qiyu", "bad_signature"))).isEqualTo(refused + 3);
        // a signed push of an event the hub does not publish is answered, so that Qiyu does not repeat it
        double ignored = fixture.hub.metric(calls("qiyu", "ignored"));
        assertThat(qiyuPush("USER_JOIN_QUEUE", "{\"uid\":\"oQueued\"}").statusCode()).isEqualTo(200);
        assertThat(fixture.hub.metric(calls("qiyu", "ignored"))).isEqualTo(ignored + 1);
        assertThat(resultRecords()).noneMatch(r -> TestKafka.json(r).path("subject").asText().equals("oQueued"));
        assertThat(published("qiyu-")).noneSatisfy((id, e) -> assertThat(id).contains(session));
    }

    @Test
    void meiqiasConversationAndCustomerWebhooksArePublishedOnceAndForgedOrStaleOnesRefused() throws Exception {
        String hook = "sub_" + TestSecrets.hex(16) + "_1764480000";
        String conv = String.valueOf(Long.parseLong(TestSecrets.hex(3), 16));
        String user = "oMeiqia" + TestSecrets.hex(3);
        long now = Instant.now().getEpochSecond();
        String created = "{\"id\":\"" + hook + "-1\",\"event\":\"conversation.created\",\"enterprise_token\":\"e1\","
                + "\"created_at\":" + now + ",\"conversation\":{\"conv_id\":" + conv + ",\"agent_id\":88,"
                + "\"dev_client_id\":\"" + user + "\",\"client_id\":\"c77\"}}";
        String closed = created.replace("-1\"", "-2\"").replace("conversation.created", "conversation.closed");
        String client = "{\"id\":\"" + hook + "-3\",\"event\":\"client.updated\",\"created_at\":" + now + ","
                + "\"client\":{\"client_id\":\"c77\",\"dev_client_id\":\"" + user + "\",\"name\":\"张三\","
                + "\"tel\":\"13800138000\"}}";
        String updated = created.replace("-1\"", "-4\"").replace("conversation.created", "conversation.updated");
        // the same conversation's start, sent again by Meiqia under another request id: the same event
        String again = created.replace("-1\"", "-6\"");

        assertThat(meiqia(created, "Meiqia-Signature", sha1(created + MEIQIA_SECRET)).statusCode()).isEqualTo(200);
        // the header as Meiqia's own example request names it
        assertThat(meiqia(closed, "Meiqia-Sign", sha1(closed + MEIQIA_SECRET)).statusCode()).isEqualTo(200);
        // Authorization: meiqia_sign: as Meiqia signs its SDK pushes (Base64 of the hex HMAC-SHA1)
        assertThat(meiqia(client, "Authorization", "meiqia_sign:" + Base64.getEncoder().encodeToString(
                hmacSha1Hex(MEIQIA_SECRET, client).getBytes(UTF_8))).statusCode()).isEqualTo(200);
        assertThat(meiqia(updated, "Meiqia-Signature", sha1(updated + MEIQIA_SECRET)).statusCode()).isEqualTo(200);
        assertThat(meiqia(created, "Meiqia-Signature", sha1(created + MEIQIA_SECRET)).statusCode()).isEqualTo(200);
        assertThat(meiqia(again, "Meiqia-Signature", sha1(again + MEIQIA_SECRET)).statusCode()).isEqualTo(200);
        String forged = created.replace("-1\"", "-5\"").replace(conv, conv + "5");
        assertThat(meiqia(forged, "Meiqia-Signature", sha1(forged + "not-the-secret")).statusCode()).isEqualTo(401);
        assertThat(meiqia(forged, "X-Other", "x").statusCode()).isEqualTo(401);
        String stale = forged.replace(String.valueOf(now), String.valueOf(now - 25 * 3600));
        assertThat(meiqia(stale, "Meiqia-Signature", sha1(stale + MEIQIA_SECRET)).statusCode()).as("25 hours old")
                .isEqualTo(401);

        Map<String, JsonNode> events = published("meiqia-");
        String start = "meiqia-session_start-" + conv;
        String end = "meiqia-session_end-" + conv;
        String change = "meiqia-client_updated-" + hook + "-3";
        assertThat(events.keySet()).contains(start, end, change).doesNotContain("meiqia-session_start-" + conv + "5");
        assertThat(events.keySet()).noneMatch(id -> id.endsWith(hook + "-4")); // conversation.updated: ignored
        assertThat(events.get(start).get("data")).isEqualTo(JSON.readTree(
                "{\"platform\":\"meiqia\",\"sessionId\":\"" + conv + "\",\"openId\":\"" + user + "\",\"agentId\":\"88\"}"));
        assertThat(events.get(end).get("type").asText()).isEqualTo("mp.cs.session_ended");
        JsonNode customer = events.get(change);
        assertThat(customer.get("type").asText()).isEqualTo("mp.cs.customer_updated");
        assertThat(customer.get("data")).isEqualTo(JSON.readTree("{\"platform\":\"meiqia\",\"customerId\":\"c77\","
                + "\"openId\":\"" + user + "\",\"change\":\"updated\"}")); // no name, no phone
        assertThat(resultRecords().stream().filter(r -> id(r).equals(start))).hasSize(1);
        events.values().forEach(e -> contract.check((ObjectNode) e));
    }

    private static String hmacSha1Hex(String key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key.getBytes(UTF_8), "HmacSHA1"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(UTF_8)));
    }

    private static HttpResponse<String> meiqia(String body, String header, String signature) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(hub("/callbacks/meiqia"))).header(header, signature)
                .header("content-type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sha1(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(UTF_8)));
    }

    private static String calls(String callback, String outcome) {
        return "mphub_callbacks_total{callback=\"" + callback + "\",outcome=\"" + outcome + "\"}";
    }

    private static List<ConsumerRecord<String, byte[]>> resultRecords() {
        return fixture.kafka.readAll("mp.results", "read_committed");
    }

    /** The events on mp.results whose id starts so, by id. */
    private static Map<String, JsonNode> published(String idPrefix) {
        return resultRecords().stream().filter(r -> id(r).startsWith(idPrefix))
                .collect(Collectors.toMap(CustomerServiceCallbacksIT::id, TestKafka::json, (a, b) -> b));
    }

    private static String id(ConsumerRecord<String, byte[]> r) {
        return TestKafka.json(r).path("id").asText();
    }
}
