package io.mphub.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.mphub.testing.Events;
import io.mphub.testing.HubProcess;
import io.mphub.testing.JarCommand;
import io.mphub.testing.Receiver;
import io.mphub.testing.Receivers;
import io.mphub.testing.SecureKafka;
import io.mphub.testing.TestSecrets;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged hub against a broker it may reach only over SASL_SSL (TLS with the test's own CA, and SASL with
 * SCRAM-SHA-512 or PLAIN): it creates its topics, ingests, writes the outbox and delivers, and its replay command
 * connects the same way; a wrong password stops start-up naming the setting. Like a cluster nobody tuned, the broker
 * keeps Kafka's minimum consumer session (6 s), which the hub's consumers take (they would be refused their groups
 * otherwise). No password ever appears in its output.
 */
class KafkaSecurityIT {

    private static SecureKafka kafka;
    private static Receivers receivers;
    private static KafkaProducer<String, String> producer;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() throws Exception {
        kafka = SecureKafka.start();
        receivers = Receivers.start();
        // The test publishes through the plain listener: the hub is given only the secured one.
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.plainBootstrap()),
                new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stop() throws Exception {
        producer.close();
        receivers.close();
        kafka.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-512", "PLAIN"})
    void theHubIngestsAndDeliversOverSaslSsl(String mechanism) throws Exception {
        String password = mechanism.equals("PLAIN") ? kafka.plainPassword() : kafka.scramPassword();
        Map<String, String> env = env(mechanism, password);
        Path log = temp.resolve("hub.log");
        String id = "secure-" + mechanism;
        try (HubProcess hub = HubProcess.start(env, log)) {
            assertThat(hub.log()).contains("mphub started");
            // This broker keeps Kafka's default minimum session (6 s): the hub's consumers take it, and it says so.
            assertThat(hub.log()).contains("camel.component.kafka.session-timeout-ms=4000 is outside what the brokers"
                    + " accept (group.min.session.timeout.ms=6000");
            producer.send(new ProducerRecord<>("mp.events.login", "oSecureUser",
                    Events.structured(id, "mp.user.login", "oSecureUser", Events.login("oSecureUser")))).get();
            Receiver cs = receivers.get("customer-service");
            await().atMost(60, TimeUnit.SECONDS).until(() -> cs.delivered().contains(id));
            assertThat(cs.posts()).filteredOn(a -> a.webhookId().equals(id))
                    .allSatisfy(a -> assertThat(a.signatureValid()).isTrue());

            // A command-line tool of the hub reaches the cluster the same way.
            JarCommand.Run replay = JarCommand.run(temp, env, "replay", "--destination", "customer-service",
                    "--dry-run");
            assertThat(replay.exit()).as(replay.output()).isZero();
            assertThat(replay.output()).doesNotContain(password);
        }
        assertThat(Files.readString(log)).doesNotContain(password).doesNotContain(kafka.truststorePassword());
    }

    /** The demo on a secured cluster: its sample events and its tail of the dead-letter topics connect as the hub. */
    @Test
    void theDemoPublishesAndTailsOverSaslSsl() throws Exception {
        Map<String, String> env = env("SCRAM-SHA-512", kafka.scramPassword());
        // The demo's own receivers, as a first start has them: no destination URL or secret of the test's.
        env.keySet().removeIf(k -> k.startsWith("MPHUB_DESTINATIONS_")
                && (k.endsWith("_URL") || k.endsWith("_SECRET")));
        env.put("MPHUB_DEMO_ENABLED", "true");
        env.put("MPHUB_DEMO_PORT", "0");
        env.put("MPHUB_DEMO_INTERVAL_MS", "500");
        Path log = temp.resolve("demo.log");
        try (HubProcess hub = HubProcess.start(env, log)) {
            assertThat(hub.log()).contains("mphub started");
            // Every fourth round has an order that breaks the contract: ingest dead-letters it, and the tail prints it.
            // And the sample events are delivered to the demo's receivers (consumers of the secured cluster).
            await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(hub.log())
                    .contains("mp.dlq.ingest     <- schema:").contains("signature verified"));
        }
        assertThat(Files.readString(log)).doesNotContain(kafka.scramPassword());
    }

    @Test
    void aWrongPasswordStopsStartUpNamingTheSetting() throws Exception {
        String wrong = "wrong-" + TestSecrets.alphanumeric(12);
        Map<String, String> env = env("SCRAM-SHA-512", wrong);
        Path log = temp.resolve("refused.log");
        try (HubProcess hub = HubProcess.start(env, log)) {
            assertThat(hub.process().waitFor(60, TimeUnit.SECONDS)).as("the hub stopped").isTrue();
            assertThat(hub.process().exitValue()).isEqualTo(2);
            assertThat(hub.log()).contains("mphub.kafka.sasl.password (MPHUB_KAFKA_SASL_PASSWORD)")
                    .contains("Kafka refused the hub's user").doesNotContain(wrong).doesNotContain("mphub started");
        }
        JarCommand.Run replay = JarCommand.run(temp, env, "replay", "--destination", "customer-service", "--dry-run");
        assertThat(replay.exit()).isEqualTo(2);
        assertThat(replay.err()).contains("mphub.kafka.sasl.password (MPHUB_KAFKA_SASL_PASSWORD)").doesNotContain(wrong);
    }

    private static Map<String, String> env(String mechanism, String password) {
        Map<String, String> env = HubProcess.env(kafka.secureBootstrap(), receivers.all());
        env.put("MPHUB_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("MPHUB_KAFKA_SASL_MECHANISM", mechanism);
        env.put("MPHUB_KAFKA_SASL_USERNAME", mechanism.equals("PLAIN") ? SecureKafka.PLAIN_USER : SecureKafka.SCRAM_USER);
        env.put("MPHUB_KAFKA_SASL_PASSWORD", password);
        env.put("MPHUB_KAFKA_SSL_TRUSTSTORE_LOCATION", kafka.truststore().toString());
        env.put("MPHUB_KAFKA_SSL_TRUSTSTORE_PASSWORD", kafka.truststorePassword());
        return env;
    }
}
