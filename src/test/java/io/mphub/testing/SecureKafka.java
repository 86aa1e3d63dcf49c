package io.mphub.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.mphub.kafka.EmbeddedKafka;
import io.mphub.kafka.SessionBounds;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

import static org.awaitility.Awaitility.await;

/**
 * The embedded broker (Apache Kafka's own KRaft server) with a second listener, {@code SASL_SSL}, beside its plain one:
 * TLS with a certificate for localhost from the test's own CA ({@link TestCertificates}), and SASL with both SCRAM-SHA-512
 * (a user created through the plain listener, as an operator would with kafka-configs) and PLAIN (users in the
 * listener's JAAS configuration). Everything lives in a temporary directory; the passwords are made per run.
 */
/**
 * @param plainBootstrap  the plain listener, for the test's own set-up and checks
 * @param secureBootstrap the SASL_SSL listener, the only one the hub is given
 * @param scramPassword   the SCRAM-SHA-512 user's password (it holds a quote and a backslash, which the JAAS line must
 *                        escape)
 */
public record SecureKafka(Path dir, EmbeddedKafka broker, String plainBootstrap, String secureBootstrap,
        Path truststore, String truststorePassword, String scramPassword, String plainPassword)
        implements AutoCloseable {

    public static final String SCRAM_USER = "mphub-scram";
    public static final String PLAIN_USER = "mphub-plain";

    public static SecureKafka start() throws Exception {
        Path dir = Files.createTempDirectory("mphub-secure-kafka");
        TestCertificates certificates = TestCertificates.localhost(dir.resolve("tls"));
        String storePassword = certificates.password();
        Path keystore = certificates.keystore();
        Path truststore = certificates.truststore();

        String scramPassword = TestSecrets.alphanumeric(16) + "\"\\x";
        String plainPassword = TestSecrets.alphanumeric(16);
        int plainPort = EmbeddedKafka.freePort();
        int securePort = EmbeddedKafka.freePort();
        int controllerPort = EmbeddedKafka.freePort();
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "PLAINTEXT://localhost:" + plainPort + ",SASL_SSL://localhost:" + securePort
                + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + plainPort + ",SASL_SSL://localhost:" + securePort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
        props.put("sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN");
        props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put("listener.name.sasl_ssl.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + PLAIN_USER + "=\""
                        + plainPassword + "\";");
        props.put("listener.name.sasl_ssl.ssl.keystore.location", keystore.toString());
        props.put("listener.name.sasl_ssl.ssl.keystore.password", storePassword);
        props.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
        // Kafka's own default, as on a cluster nobody tuned: shorter than the hub's 4 s consumer sessions.
        props.put(SessionBounds.MIN, "6000");
        EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("data"), plainPort, controllerPort, 4,
                props);
        String plainBootstrap = "localhost:" + plainPort;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plainBootstrap))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(SCRAM_USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), scramPassword))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        SecureKafka kafka = new SecureKafka(dir, broker, plainBootstrap, "localhost:" + securePort, truststore,
                storePassword, scramPassword, plainPassword);
        kafka.awaitScramUser();
        return kafka;
    }

    /** The broker learns of a SCRAM user through its metadata, a moment after the controller took it. */
    private void awaitScramUser() {
        Map<String, Object> client = new HashMap<>();
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, secureBootstrap);
        client.put("security.protocol", "SASL_SSL");
        client.put("sasl.mechanism", "SCRAM-SHA-512");
        client.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + SCRAM_USER + "\" password=\"" + scramPassword.replace("\\", "\\\\").replace("\"", "\\\"") + "\";");
        client.put("ssl.truststore.location", truststore.toString());
        client.put("ssl.truststore.password", truststorePassword);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (Admin admin = Admin.create(client)) {
                return !admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty();
            }
        });
    }

    @Override
    public void close() throws Exception {
        broker.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
