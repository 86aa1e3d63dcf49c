package io.mphub.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.mphub.sign.Digests;
import io.mphub.testing.Events;
import io.mphub.testing.Receiver;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.mphub.testing.TestKafka.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A record is never left unfiled because it is large, and never holds up the records behind it. A record near an
 * input topic's limit (Kafka's default, about 1 MiB) is dead-lettered whole, since the hub's own topics take twice
 * that; where a dead-letter topic takes less, what fits is stored and the headers say what was cut.
 */
class LargeRecordIT {

    /** Just under what Kafka's default producer and topic limits let a backend publish. */
    private static final int NEAR_THE_LIMIT = 1_048_000;

    @RegisterExtension
    final HubFixture fixture = new HubFixture();

    @Test
    void aRecordNearTheInputLimitIsDeadLetteredWholeAndTheEventsBehindItAreDelivered() throws Exception {
        fixture.startHub(Map.of());
        String user = "oBigUser1";
        byte[] big = filled(NEAR_THE_LIMIT);

        ConsumerRecord<String, byte[]> letter = deadLetterOfABigRecordWithOrdersBehind(user, big, "big1-");

        assertThat(letter.value()).isEqualTo(big);
        assertThat(letter.key()).isEqualTo(user);
        assertThat(header(letter, "x-producer")).isEqualTo("checkout");
        assertThat(header(letter, "mphub.error.reason")).isEqualTo("parse");
        assertThat(header(letter, "mphub.truncated")).isNull();
    }

    @Test
    void aDeadLetterTopicThatTakesLessGetsWhatFitsAndSaysWhatWasCut() throws Exception {
        // Created earlier, with Kafka's default limit: less than the original plus its error headers.
        fixture.kafka.createTopic("mp.dlq.ingest", Map.of());
        fixture.startHub(Map.of());
        String user = "oBigUser2";
        byte[] big = filled(NEAR_THE_LIMIT);

        ConsumerRecord<String, byte[]> letter = deadLetterOfABigRecordWithOrdersBehind(user, big, "big2-");

        assertThat(header(letter, "mphub.truncated")).isEqualTo("value");
        assertThat(header(letter, "mphub.original.bytes")).isEqualTo(String.valueOf(NEAR_THE_LIMIT));
        assertThat(header(letter, "mphub.original.sha256")).isEqualTo(Digests.sha256Hex(big));
        assertThat(letter.value().length).isLessThan(NEAR_THE_LIMIT).isGreaterThan(NEAR_THE_LIMIT - 4096);
        assertThat(letter.value()).isEqualTo(Arrays.copyOf(big, letter.value().length));
        assertThat(letter.key()).isEqualTo(user);
        assertThat(header(letter, "x-producer")).isEqualTo("checkout");
        assertThat(header(letter, "mphub.error.reason")).isEqualTo("parse");
        assertThat(header(letter, "mphub.source.topic")).isEqualTo("mp.events.order");
        assertThat(header(letter, "mphub.source.offset")).isEqualTo("0");
    }

    @Test
    void aLargeEventARecipientRefusesIsDeadLetteredWholeAndTheEventsBehindItAreDelivered() throws Exception {
        fixture.startHub(Map.of());
        Receiver analytics = fixture.receiver("analytics");
        analytics.answer(arrival -> Receiver.Answer.of(arrival.eventIds().contains("big3-large") ? 400 : 204));
        String user = "oBigUser3";
        String padding = "p".repeat(NEAR_THE_LIMIT - 400);
        String large = Events.structured("big3-large", "mp.behaviour.page_view", user, "{\"appId\":\"" + Events.APP
                + "\",\"openId\":\"" + user + "\",\"page\":\"pages/big\",\"properties\":{\"padding\":\"" + padding
                + "\"}}");
        assertThat(large.length()).isBetween(NEAR_THE_LIMIT - 200, NEAR_THE_LIMIT);
        fixture.kafka.publish("mp.events.behaviour", user, large);
        List<String> behind = IntStream.range(0, 20).mapToObj(i -> "big3-" + i).toList();
        for (String id : behind) {
            fixture.kafka.publish("mp.events.behaviour", user, Events.structured(id, "mp.behaviour.tap", user,
                    Events.behaviour(user, "pages/small")));
        }

        List<ConsumerRecord<String, byte[]>> dead = fixture.kafka.read("mp.dlq.analytics", 1, Duration.ofSeconds(60));
        assertThat(dead).hasSize(1);
        ConsumerRecord<String, byte[]> letter = dead.get(0);
        assertThat(header(letter, "mphub.error.reason")).isEqualTo("http_4xx");
        assertThat(header(letter, "mphub.truncated")).isNull();
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).contains(padding).contains("\"id\":\"big3-large\"");
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(analytics.delivered()).containsAll(behind));
        assertThat(analytics.delivered()).containsSubsequence(behind);
    }

    /**
     * Publishes the big record, then orders of the same user (so on the same partition, behind it); returns its one
     * dead letter once every order behind it has been delivered.
     */
    private ConsumerRecord<String, byte[]> deadLetterOfABigRecordWithOrdersBehind(String user, byte[] big,
            String prefix) {
        fixture.kafka.publish("mp.events.order", user, big, Map.of("x-producer", "checkout"));
        List<String> behind = IntStream.range(0, 20).mapToObj(i -> prefix + i).toList();
        for (String id : behind) {
            fixture.kafka.publish("mp.events.order", user, Events.structured(id, "mp.order.created", user,
                    Events.orderCreated(user, "ORD-" + id)));
        }
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(fixture.receiver("analytics").delivered()).containsAll(behind));
        List<ConsumerRecord<String, byte[]>> dead = fixture.kafka.read("mp.dlq.ingest", 1, Duration.ofSeconds(30));
        assertThat(dead).hasSize(1);
        return dead.get(0);
    }

    private static byte[] filled(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'x');
        return bytes;
    }
}
