package io.mphub.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaSecurityTest {

    @TempDir
    Path temp;

    private final List<Problem> problems = new ArrayList<>();

    @Test
    void plainTextAddsNothing() {
        KafkaSecurity security = read(Map.of(), Map.of(), false);
        assertThat(security.clientProperties()).isEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void saslSslCarriesTheMechanismTheUserTheTruststoreAndThePasswordAsSet() throws Exception {
        Path truststore = Files.createFile(temp.resolve("ca.p12"));
        String password = "pa\"ss\\word";
        Map<String, String> properties = new HashMap<>(Map.of("mphub.kafka.security-protocol", "SASL_SSL",
                "mphub.kafka.sasl.username", "mphub", "mphub.kafka.ssl.truststore-location", truststore.toString(),
                // What Camel's parser would give for the environment's value: its backslash read as an escape.
                "mphub.kafka.sasl.password", "pa\"ssword"));
        KafkaSecurity security = read(properties, Map.of("MPHUB_KAFKA_SASL_PASSWORD", password), false);

        assertThat(problems).isEmpty();
        Map<String, Object> client = security.clientProperties();
        assertThat(client).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"mphub\" password=\"pa\\\"ss\\\\word\";")
                .containsEntry("ssl.truststore.location", truststore.toString())
                .containsEntry("ssl.truststore.type", "PKCS12")
                .containsEntry("ssl.endpoint.identification.algorithm", "https");
        assertThat(security.toString()).doesNotContain("ss\\word").doesNotContain("pa\"ss");
        assertThat(new KafkaClients("kafka:9094", "none", 1 << 20, security).toString()).doesNotContain("pa\"ss");
        assertThat(new KafkaClients("kafka:9094", "none", 1 << 20, security).admin())
                .containsEntry("security.protocol", "SASL_SSL").containsKey("sasl.jaas.config");
    }

    @Test
    void plainUsesPlainLoginModule() {
        KafkaSecurity security = plainOver("SASL_SSL");
        assertThat(problems).isEmpty();
        assertThat(security.clientProperties()).containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";");
    }

    @Test
    void plainWithoutTlsIsRefused() {
        KafkaSecurity security = plainOver("SASL_PLAINTEXT");
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo("mphub.kafka.sasl.mechanism (MPHUB_KAFKA_SASL_MECHANISM)");
            assertThat(p.fix()).contains("SASL_SSL");
        });
        assertThat(security.clientProperties()).doesNotContainKey("ssl.endpoint.identification.algorithm");
    }

    @Test
    void aBlankSecretInTheEnvironmentLeavesItToTheSecretsFile() {
        KafkaSecurity security = read(Map.of("mphub.kafka.security-protocol", "SASL_SSL",
                "mphub.kafka.sasl.username", "u", "mphub.kafka.sasl.password", "from-file"),
                Map.of("MPHUB_KAFKA_SASL_PASSWORD", "  "), false);
        assertThat(problems).isEmpty();
        assertThat((String) security.clientProperties().get("sasl.jaas.config")).contains("password=\"from-file\"");
    }

    @Test
    void saslWithoutUserOrPasswordIsRefusedNamingBoth() {
        read(Map.of("mphub.kafka.security-protocol", "SASL_SSL"), Map.of(), false);
        assertThat(problems).extracting(Problem::where).containsExactlyInAnyOrder(
                "mphub.kafka.sasl.username (MPHUB_KAFKA_SASL_USERNAME)",
                "mphub.kafka.sasl.password (MPHUB_KAFKA_SASL_PASSWORD)");
    }

    @Test
    void aSecuredProtocolWithTheEmbeddedBrokerIsRefused() {
        read(Map.of("mphub.kafka.security-protocol", "SSL"), Map.of(), true);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo("mphub.kafka.security-protocol (MPHUB_KAFKA_SECURITY_PROTOCOL)");
            assertThat(p.fix()).contains("KAFKA_BOOTSTRAP_SERVERS");
        });
    }

    @Test
    void aTruststoreThatCannotBeReadIsRefused() {
        read(Map.of("mphub.kafka.security-protocol", "SSL", "mphub.kafka.ssl.truststore-location",
                temp.resolve("missing.p12").toString()), Map.of(), false);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.where()).startsWith("mphub.kafka.ssl.truststore-location");
            assertThat(p.what()).contains("is not a readable file");
        });
    }

    /** User u, password p, mechanism PLAIN (spelt in lower case, as the setting allows). */
    private KafkaSecurity plainOver(String protocol) {
        return read(Map.of("mphub.kafka.security-protocol", protocol, "mphub.kafka.sasl.mechanism", "plain",
                "mphub.kafka.sasl.username", "u"), Map.of("MPHUB_KAFKA_SASL_PASSWORD", "p"), false);
    }

    private KafkaSecurity read(Map<String, String> properties, Map<String, String> environment, boolean embedded) {
        Settings settings = new Settings(key -> Optional.ofNullable(properties.get(key)),
                variable -> Optional.ofNullable(environment.get(variable)));
        return KafkaSecurity.read(settings.reader(problems), embedded);
    }
}
