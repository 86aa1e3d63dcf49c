package io.mphub.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.testing.Events;
import io.mphub.testing.PrivacyKeys;
import io.mphub.testing.Receiver;
import io.mphub.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The default fan-out table, end to end: real broker, real hub, real receivers that check signatures. */
class FanOutIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final HubFixture fixture = new HubFixture();

    @BeforeAll
    static void start() throws Exception {
        fixture.startHub(Map.of());
    }

    @Test
    void everyTypeReachesExactlyTheDestinationsOfTheDefaultTableSigned() {
        String u = "oFanOutUser1";
        publish("mp.events.login", "fo-login", "mp.user.login", u, Events.login(u));
        publish("mp.events.order", "fo-created", "mp.order.created", u, Events.orderCreated(u, "FO000001"));
        publish("mp.events.order", "fo-paid", "mp.order.paid", u, Events.orderPaid(u, "FO000001"));
        publish("mp.events.order", "fo-shipped", "mp.order.shipped", u, Events.orderShipped(u, "FO000001"));
        publish("mp.events.order", "fo-refunded", "mp.order.refunded", u, Events.orderRefunded(u, "FO000001"));
        publish("mp.events.behaviour", "fo-tap", "mp.behaviour.tap", u, Events.behaviour(u, "pages/index/index"));

        Map<String, Set<String>> expected = Map.of(
                "analytics", Set.of("fo-login", "fo-created", "fo-paid", "fo-shipped", "fo-refunded", "fo-tap"),
                "customer-service", Set.of("fo-login", "fo-created", "fo-paid", "fo-shipped", "fo-refunded"),
                "logistics", Set.of("fo-shipped"),
                "notifications", Set.of("fo-shipped"),
                "payment", Set.of("fo-created", "fo-refunded"));
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> expected.forEach((destination, ids) ->
                assertThat(idsWithPrefix(fixture.receiver(destination), "fo-")).as(destination)
                        .containsExactlyInAnyOrderElementsOf(ids)));
        for (Receiver r : fixture.receivers.values()) {
            for (Receiver.Arrival a : r.posts()) {
                assertThat(a.signatureValid()).as("signature of %s", a.webhookId()).isTrue();
                // analytics ships delivering in batches (CloudEvents batch); the others one event per request.
                assertThat(a.headers().get("Content-type")).containsExactly(r == fixture.receiver("analytics")
                        ? Receiver.BATCH : "application/cloudevents+json");
            }
        }
    }

    @Test
    void binaryModeEventIsDeliveredAsStructuredCloudEventWithHubAttributes() throws Exception {
        String u = "oBinaryUser";
        fixture.kafka.publish("mp.events.behaviour", u, Events.behaviour(u, "pages/cart/cart").getBytes(StandardCharsets.UTF_8),
                Map.of("ce_specversion", "1.0", "ce_id", "bin-1", "ce_source", "/miniprogram/" + Events.APP,
                        "ce_type", "mp.behaviour.add_to_cart", "ce_time", "2026-11-24T10:00:00Z", "ce_subject", u,
                        "content-type", "application/json",
                        "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        Receiver analytics = fixture.receiver("analytics");
        await().atMost(60, TimeUnit.SECONDS).until(() -> !analytics.attemptsOf("bin-1").isEmpty());
        JsonNode event = analytics.event("bin-1");
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("type").asText()).isEqualTo("mp.behaviour.add_to_cart");
        assertThat(event.get("subject").asText()).isEqualTo(PrivacyKeys.pseudonym("analytics", u));
        assertThat(event.get("data").get("page").asText()).isEqualTo("pages/cart/cart");
        assertThat(event.get("traceparent").asText()).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(event.get("mphubtraceid").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(event.get("mphubreceived").asText()).isNotBlank();
        assertThat(event.get("mphubinstance").asText()).isNotBlank();
    }

    @Test
    void structuredEventKeepsProducerFieldsAndGainsHubAttributes() throws Exception {
        String u = "oStructUser";
        String original = Events.structured("st-1", "mp.user.login", u, Events.login(u));
        fixture.kafka.publish("mp.events.login", u, original);
        Receiver cs = fixture.receiver("customer-service");
        await().atMost(60, TimeUnit.SECONDS).until(() -> !cs.attemptsOf("st-1").isEmpty());
        JsonNode sent = JSON.readTree(original);
        JsonNode received = JSON.readTree(cs.attemptsOf("st-1").get(0).body());
        sent.fieldNames().forEachRemaining(f -> assertThat(received.get(f)).as(f).isEqualTo(sent.get(f)));
        assertThat(received.get("traceparent").asText()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(received.get("mphubtraceid").asText()).isEqualTo(received.get("traceparent").asText().substring(3, 35));
    }

    @Test
    void noInternalHeaderReachesAThirdParty() {
        String u = "oHeaderUser";
        fixture.kafka.publish("mp.events.login", u, Structured.withHeader("hd-1", u), Map.of("x-internal", "secret-ish"));
        Receiver analytics = fixture.receiver("analytics");
        await().atMost(60, TimeUnit.SECONDS).until(() -> !analytics.attemptsOf("hd-1").isEmpty());
        Set<String> names = analytics.attemptsOf("hd-1").get(0).headers().keySet();
        // What the kind sends (Standard Webhooks' three headers and the content type) and the transport's own, no more:
        // no record header (x-internal, ce_*), nothing of Kafka or Camel.
        assertThat(names).extracting(String::toLowerCase).containsExactlyInAnyOrder("webhook-id", "webhook-timestamp",
                "webhook-signature", "content-type", "content-length", "host", "user-agent", "connection");
    }

    @Test
    void outboxRecordsAreKeyedBySubject() {
        String u = "oKeyedUser";
        publish("mp.events.order", "key-1", "mp.order.created", u, Events.orderCreated(u, "KEY00001"));
        await().atMost(60, TimeUnit.SECONDS).until(() -> !fixture.receiver("payment").attemptsOf("key-1").isEmpty());
        List<ConsumerRecord<String, byte[]>> records = fixture.kafka.readAll("mp.out.payment");
        ConsumerRecord<String, byte[]> record = records.stream()
                .filter(r -> "key-1".equals(TestKafka.header(r, "ce_id"))).findFirst().orElseThrow();
        assertThat(record.key()).isEqualTo(u);
        assertThat(TestKafka.header(record, "ce_type")).isEqualTo("mp.order.created");
    }

    private static void publish(String topic, String id, String type, String subject, String data) {
        fixture.kafka.publish(topic, subject, Events.structured(id, type, subject, data));
    }

    private static List<String> idsWithPrefix(Receiver r, String prefix) {
        return r.delivered().stream().filter(id -> id.startsWith(prefix)).toList();
    }

    /** Events with extra record headers. */
    private static final class Structured {
        static byte[] withHeader(String id, String user) {
            return Events.structured(id, "mp.user.login", user, Events.login(user)).getBytes(StandardCharsets.UTF_8);
        }
    }
}
