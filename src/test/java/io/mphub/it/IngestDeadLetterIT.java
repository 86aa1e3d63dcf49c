package io.mphub.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.mphub.testing.Events;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.mphub.testing.TestKafka.header;
import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of bad input lands in mp.dlq.ingest with its original bytes, headers and key, and says why. */
class IngestDeadLetterIT {

    @RegisterExtension
    static final HubFixture fixture = new HubFixture();

    @BeforeAll
    static void start() throws Exception {
        fixture.startHub(Map.of());
    }

    @Test
    void badEventsLandInIngestDeadLetterWithOriginalBytesHeadersAndReason() {
        String u = "oBadUser";
        Map<String, String> headers = Map.of("x-producer", "checkout-service");
        publish("mp.events.order", u, "this is { not json", headers);
        publish("mp.events.login", u, "{\"hello\":\"world\"}", headers);
        publish("mp.events.order", u, Events.structured("dl-unknown", "mp.order.exploded", u, "{}"), headers);
        publish("mp.events.order", u, Events.structured("dl-schema", "mp.order.created", u,
                Events.orderCreated(u, "DL000001").replace("\"total\":1999", "\"total\":\"19.99\"")), headers);
        publish("mp.events.order", u, Events.structured("dl-missing", "mp.order.paid", u,
                "{\"appId\":\"" + Events.APP + "\",\"openId\":\"" + u + "\"}"), headers);
        // a good event between the bad ones still goes through
        publish("mp.events.login", u, Events.structured("dl-good", "mp.user.login", u, Events.login(u)), headers);

        List<ConsumerRecord<String, byte[]>> dead = fixture.kafka.read("mp.dlq.ingest", 5, Duration.ofSeconds(60));
        assertThat(dead).hasSize(5);
        assertThat(dead).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(u);
            assertThat(header(r, "x-producer")).isEqualTo("checkout-service");
            assertThat(header(r, "mphub.source.topic")).startsWith("mp.events.");
            assertThat(header(r, "mphub.source.partition")).matches("\\d+");
            assertThat(header(r, "mphub.source.offset")).matches("\\d+");
            assertThat(header(r, "mphub.error.class")).isEqualTo("io.mphub.event.RejectedEventException");
            assertThat(header(r, "mphub.failed.at")).isNotBlank();
        });
        assertThat(byValue(dead, "this is { not json")).satisfies(r -> {
            assertThat(header(r, "mphub.error.reason")).isEqualTo("parse");
            assertThat(header(r, "mphub.error.message")).contains("not JSON").contains("line 1");
        });
        assertThat(byValue(dead, "{\"hello\":\"world\"}")).satisfies(r -> {
            assertThat(header(r, "mphub.error.reason")).isEqualTo("envelope");
            assertThat(header(r, "mphub.error.message")).contains("specversion").contains("(rule: required)");
        });
        assertThat(byId(dead, "dl-unknown")).satisfies(r -> {
            assertThat(header(r, "mphub.error.reason")).isEqualTo("unknown_type");
            assertThat(header(r, "mphub.error.message")).contains("mp.order.exploded").contains("mp.user.login");
        });
        assertThat(byId(dead, "dl-schema")).satisfies(r -> {
            assertThat(header(r, "mphub.error.reason")).isEqualTo("schema");
            assertThat(header(r, "mphub.error.message")).contains("/data/amount/total").contains("(rule: type)");
        });
        assertThat(byId(dead, "dl-missing")).satisfies(r -> {
            assertThat(header(r, "mphub.error.reason")).isEqualTo("schema");
            assertThat(header(r, "mphub.error.message")).contains("orderId").contains("transactionId")
                    .contains("(rule: required)");
        });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> fixture.receiver("analytics").delivered().contains("dl-good"));
        assertThat(fixture.receiver("analytics").delivered()).doesNotContain("dl-unknown", "dl-schema", "dl-missing");
    }

    private static void publish(String topic, String key, String value, Map<String, String> headers) {
        fixture.kafka.publish(topic, key, value.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static ConsumerRecord<String, byte[]> byValue(List<ConsumerRecord<String, byte[]>> records, String value) {
        return records.stream().filter(r -> new String(r.value(), StandardCharsets.UTF_8).equals(value)).findFirst()
                .orElseThrow(() -> new AssertionError("no dead letter with the original bytes " + value));
    }

    private static ConsumerRecord<String, byte[]> byId(List<ConsumerRecord<String, byte[]>> records, String id) {
        return records.stream().filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains("\"id\":\"" + id + "\""))
                .findFirst().orElseThrow(() -> new AssertionError("no dead letter for " + id));
    }

}
