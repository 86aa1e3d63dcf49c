package io.mphub.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import io.mphub.kafka.KafkaClients;
import io.mphub.kafka.KafkaSettings;
import io.mphub.kafka.Outbox;
import io.mphub.kafka.OutboxWriteException;
import io.mphub.kafka.RecordLimits;
import io.mphub.kafka.Topics;
import io.mphub.testing.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A callback's publish waits for Kafka at most its deadline: with the broker gone, the caller hears so in time (and
 * answers the provider with an error, so that it calls again) instead of holding the listener's thread.
 */
class OutboxDeadlineIT {

    @Test
    void aPublishTheBrokerDoesNotAcknowledgeFailsAtItsDeadline() throws Exception {
        TestKafka kafka = TestKafka.start();
        KafkaClients clients = new KafkaClients(kafka.bootstrapServers(), "none", KafkaSettings.MAX_RECORD_BYTES.defaultValue());
        RecordLimits limits;
        try (Admin admin = Admin.create(clients.admin())) {
            limits = Topics.ensure(admin, Set.of(), Set.of("mp.results"), 1, (short) 1,
                    KafkaSettings.MAX_RECORD_BYTES.defaultValue());
        }
        Outbox outbox = Outbox.connect(clients, limits, Set.of());
        try {
            outbox.sendNow(record("before"), Duration.ofSeconds(30));
            assertThat(kafka.read("mp.results", 1, Duration.ofSeconds(10))).hasSize(1);

            kafka.close();

            assertThatThrownBy(() -> outbox.sendNow(record("after"), Duration.ofMillis(500)))
                    .isInstanceOf(OutboxWriteException.class).hasMessageContaining("did not acknowledge within 500 ms");
        } finally {
            outbox.close();
        }
    }

    private static ProducerRecord<String, byte[]> record(String value) {
        return new ProducerRecord<>("mp.results", "oUser", value.getBytes(StandardCharsets.UTF_8));
    }
}
