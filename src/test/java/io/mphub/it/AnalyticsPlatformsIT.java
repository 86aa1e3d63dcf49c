package io.mphub.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.mphub.testing.Events;
import io.mphub.testing.PrivacyKeys;
import io.mphub.testing.SegmentSandbox;
import io.mphub.testing.SensorsDataSandbox;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.mphub.testing.TestKafka.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The analytics destination pointed at Sensors Data or Segment, end to end: behaviour events through the real broker
 * and the hub to local sandboxes that decode each platform's format and check its auth the platform's way.
 */
class AnalyticsPlatformsIT {

    @RegisterExtension
    final HubFixture fixture = new HubFixture();

    @Test
    void sensorsDataReceivesGzippedTrackRecordsInBatchesAndOnlyTheRecordItRefusesIsDeadLettered() throws Exception {
        SensorsDataSandbox sensors = fixture.closing(SensorsDataSandbox.start("production"));
        sensors.refuse(Set.of("sa-bad"));
        sensors.thenAnswer(503);
        fixture.startHub(Map.of("mphub.destinations.analytics.kind", "sensorsdata",
                "mphub.destinations.analytics.url", sensors.url(),
                "mphub.destinations.analytics.batch.max-wait-ms", "200"));
        List<String> ids = publish("sa-", 30);
        fixture.kafka.publish("mp.events.behaviour", "oSaUser1", Events.structured("sa-bad", "mp.behaviour.page_view",
                "oSaUser1", Events.behaviour("oSaUser1", "pages/index/index")));

        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(sensors.deliveredEventIds()).containsAll(ids));
        assertThat(sensors.deliveredEventIds()).doesNotContain("sa-bad");
        assertThat(sensors.requests()).allSatisfy(r -> assertThat(r.records()).hasSizeLessThanOrEqualTo(50));
        // One request sent at the same moment as the refused one may be recorded before it.
        assertThat(sensors.requests()).anySatisfy(r -> assertThat(r.status()).isEqualTo(503));
        JsonNode record = sensors.requests().stream().filter(SensorsDataSandbox.Request::delivered)
                .flatMap(r -> r.records().stream()).filter(r -> r.path("_track_id").asText().length() > 0)
                .findFirst().orElseThrow();
        assertThat(record.path("type").asText()).isEqualTo("track");
        // The shipped analytics contract pseudonymizes the user: Sensors Data's distinct_id is the pseudonym.
        assertThat(record.path("distinct_id").asText()).isIn(IntStream.range(0, 3)
                .mapToObj(i -> PrivacyKeys.pseudonym("analytics", "osaUser" + i)).toList());
        assertThat(record.path("properties").path("$lib").asText()).isEqualTo("mphub");
        ConsumerRecord<String, byte[]> dead = deadLetter("sa-bad");
        assertThat(header(dead, "mphub.error.reason")).isEqualTo("http_4xx");
    }

    @Test
    void segmentReceivesBatchCallsWithTheWriteKeyAndAMessageIdPerEvent() throws Exception {
        String writeKey = "wk-" + Long.toHexString(System.nanoTime());
        SegmentSandbox segment = fixture.closing(SegmentSandbox.start(writeKey));
        segment.thenAnswer(500);
        var logs = fixture.logs();
        fixture.startHub(Map.of("mphub.destinations.analytics.kind", "segment",
                "mphub.destinations.analytics.url", segment.url(),
                "mphub.destinations.analytics.write-key", writeKey,
                "mphub.destinations.analytics.batch.max-wait-ms", "200"));
        List<String> ids = publish("sg-", 30);

        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(segment.deliveredEventIds()).containsAll(ids));
        // The failed request is sent again with the same messages (other consumer threads' requests may come
        // between, and one sent at the same moment may even be recorded before it): Segment drops repeats by messageId.
        List<SegmentSandbox.Request> requests = segment.requests();
        int failedAt = IntStream.range(0, requests.size()).filter(i -> requests.get(i).status() == 500).findFirst()
                .orElseThrow(() -> new AssertionError("no request was answered 500: " + requests));
        List<String> failed = requests.get(failedAt).eventIds();
        assertThat(requests.subList(failedAt + 1, requests.size()))
                .anySatisfy(r -> assertThat(r.eventIds()).containsExactlyElementsOf(failed));
        assertThat(segment.requests()).allSatisfy(r -> assertThat(r.path()).isEqualTo("/v1/batch"));
        assertThat(logs.messages()).noneMatch(l -> l.contains(writeKey));
    }

    private List<String> publish(String prefix, int n) {
        List<String> ids = IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
        for (int i = 0; i < n; i++) {
            String u = "o" + prefix.replace("-", "") + "User" + (i % 3);
            fixture.kafka.publish("mp.events.behaviour", u, Events.structured(ids.get(i), "mp.behaviour.page_view", u,
                    Events.behaviour(u, "pages/index/index")));
        }
        return ids;
    }

    private ConsumerRecord<String, byte[]> deadLetter(String id) {
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.readAll("mp.dlq.analytics").stream().anyMatch(r -> id.equals(header(r, "ce_id"))));
        return fixture.kafka.readAll("mp.dlq.analytics").stream()
                .filter(r -> id.equals(header(r, "ce_id"))).findFirst().orElseThrow();
    }
}
