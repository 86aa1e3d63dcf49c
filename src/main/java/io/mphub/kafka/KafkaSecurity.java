package io.mphub.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * How every Kafka client of the hub reaches a secured cluster: TLS, SASL, or both ({@code mphub.kafka.security-protocol},
 * {@code mphub.kafka.sasl.*}, {@code mphub.kafka.ssl.*}). The same client properties go to the hub's own clients
 * ({@link KafkaClients}) and to camel-kafka's (the routes' consumers, and delivery's), so there is one way to set it.
 * Passwords come from the environment or the secrets file only; Kafka logs them as {@code [hidden]}.
 *
 * @param protocol  Kafka's {@code security.protocol}
 * @param mechanism the SASL mechanism, for {@code SASL_*} protocols
 */
public record KafkaSecurity(String protocol, String mechanism, Optional<String> username, Optional<Secret> password,
        Optional<String> truststore, String truststoreType, Optional<Secret> truststorePassword,
        Optional<String> keystore, String keystoreType, Optional<Secret> keystorePassword, Optional<Secret> keyPassword,
        boolean verifyHostname) {


    public static final Setting<String> PROTOCOL = Setting.oneOf("mphub.kafka.security-protocol", "PLAINTEXT", "SSL",
                    "SASL_PLAINTEXT", "SASL_SSL").defaultValue("PLAINTEXT")
            .description("How every Kafka client of the hub (ingest, delivery, the outbox producer, the admin client, the"
                    + " replay and audit commands) talks to the cluster: PLAINTEXT, SSL (TLS), SASL_SSL (TLS and a user"
                    + " name and password) or SASL_PLAINTEXT. The embedded broker takes PLAINTEXT only.");
    public static final Setting<String> MECHANISM = Setting.oneOf("mphub.kafka.sasl.mechanism", "SCRAM-SHA-512",
                    "SCRAM-SHA-256", "PLAIN").defaultValue("SCRAM-SHA-512")
            .description("The SASL mechanism, with SASL_SSL or SASL_PLAINTEXT: SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN"
                    + " (PLAIN sends the password itself: only over SASL_SSL).");
    public static final Setting<String> USERNAME = Setting.text("mphub.kafka.sasl.username")
            .fix("set MPHUB_KAFKA_SASL_USERNAME to the hub's Kafka user")
            .description("The hub's Kafka user, with SASL_SSL or SASL_PLAINTEXT.");
    public static final Setting<Secret> PASSWORD = Setting.secret("mphub.kafka.sasl.password")
            .fix("set MPHUB_KAFKA_SASL_PASSWORD, or put mphub.kafka.sasl.password in the secrets file, to the password"
                    + " of mphub.kafka.sasl.username")
            .description("The Kafka user's password, with SASL_SSL or SASL_PLAINTEXT.");
    public static final Setting<String> TRUSTSTORE = Setting.text("mphub.kafka.ssl.truststore-location")
            .check(KafkaSecurity::readable, "is not a readable file")
            .description("With SSL or SASL_SSL: the certificates the hub trusts for the brokers (a cluster behind a"
                    + " private CA). Not set: the JDK's own (public CAs).");
    public static final Setting<String> TRUSTSTORE_TYPE = Setting.oneOf("mphub.kafka.ssl.truststore-type", "PKCS12",
            "JKS", "PEM").defaultValue("PKCS12").description("The truststore's format: PKCS12, JKS or PEM.");
    public static final Setting<Secret> TRUSTSTORE_PASSWORD = Setting.secret("mphub.kafka.ssl.truststore-password")
            .description("The truststore's password, if it has one.");
    public static final Setting<String> KEYSTORE = Setting.text("mphub.kafka.ssl.keystore-location")
            .check(KafkaSecurity::readable, "is not a readable file")
            .description("With SSL or SASL_SSL, for a cluster that asks clients for a certificate (mutual TLS): the"
                    + " hub's key and certificate.");
    public static final Setting<String> KEYSTORE_TYPE = Setting.oneOf("mphub.kafka.ssl.keystore-type", "PKCS12", "JKS",
            "PEM").defaultValue("PKCS12").description("The keystore's format: PKCS12, JKS or PEM.");
    public static final Setting<Secret> KEYSTORE_PASSWORD = Setting.secret("mphub.kafka.ssl.keystore-password")
            .description("The keystore's password.");
    public static final Setting<Secret> KEY_PASSWORD = Setting.secret("mphub.kafka.ssl.key-password")
            .description("The password of the key in the keystore, when it differs from the keystore's.");
    public static final Setting<Boolean> VERIFY_HOSTNAME = Setting.flag("mphub.kafka.ssl.verify-hostname")
            .defaultValue(true).description("Whether a broker's certificate must name the host the hub reached it by"
                    + " (Kafka's ssl.endpoint.identification.algorithm https). Turn it off only for brokers reached by"
                    + " an address their certificate does not name.");

    public static final List<Setting<?>> ALL = List.of(PROTOCOL, MECHANISM, USERNAME, PASSWORD, TRUSTSTORE,
            TRUSTSTORE_TYPE, TRUSTSTORE_PASSWORD, KEYSTORE, KEYSTORE_TYPE, KEYSTORE_PASSWORD, KEY_PASSWORD,
            VERIFY_HOSTNAME);

    /** Nothing set: every setting at its default, a cluster reached in plain text. */
    public static final KafkaSecurity PLAINTEXT = read(new Settings(key -> Optional.empty()).reader(new ArrayList<>()),
            false);

    /** @param embedded whether the hub starts its embedded broker (which listens in plain text only) */
    public static KafkaSecurity read(Settings.Reader settings, boolean embedded) {
        String protocol = settings.get(PROTOCOL);
        KafkaSecurity security = new KafkaSecurity(protocol, settings.get(MECHANISM), settings.optional(USERNAME),
                settings.optional(PASSWORD), settings.optional(TRUSTSTORE), settings.get(TRUSTSTORE_TYPE),
                settings.optional(TRUSTSTORE_PASSWORD), settings.optional(KEYSTORE), settings.get(KEYSTORE_TYPE),
                settings.optional(KEYSTORE_PASSWORD), settings.optional(KEY_PASSWORD), settings.get(VERIFY_HOSTNAME));
        if (embedded && !protocol.equals("PLAINTEXT")) {
            settings.problem(PROTOCOL, "is " + protocol + ", but no cluster is set and the embedded broker listens in"
                    + " plain text only", "set KAFKA_BOOTSTRAP_SERVERS to the secured cluster, or unset "
                    + PROTOCOL.envName());
        }
        if (security.sasl()) {
            settings.require(USERNAME, "is required with " + protocol);
            settings.require(PASSWORD, "is required with " + protocol);
            if (security.mechanism().equals("PLAIN") && !security.tls()) {
                settings.problem(MECHANISM, "is PLAIN over " + protocol + ": the password itself would cross the"
                        + " network unencrypted", "use " + PROTOCOL.envName() + "=SASL_SSL, or a SCRAM mechanism");
            }
        }
        return security;
    }

    /**
     * What to tell an operator when the cluster refused the hub: a wrong user name or password (SASL), or a broker
     * certificate the hub does not trust or that does not name the host (TLS).
     */
    public static Problem refused(AuthenticationException e) {
        if (e instanceof SslAuthenticationException) {
            return Problem.setting(TRUSTSTORE.key(), "the TLS handshake with Kafka failed: " + e.getMessage(),
                    "set " + TRUSTSTORE.envName() + " to a truststore holding the CA of the brokers' certificates (and "
                            + VERIFY_HOSTNAME.envName() + "=false only if the certificates do not name the brokers' hosts)");
        }
        return Problem.setting(PASSWORD.key(), "Kafka refused the hub's user: " + e.getMessage(),
                "check " + USERNAME.envName() + ", " + PASSWORD.envName() + " (or the secrets file) and "
                        + MECHANISM.envName() + " against the user the cluster has");
    }

    boolean sasl() {
        return protocol.startsWith("SASL_");
    }

    boolean tls() {
        return protocol.endsWith("SSL");
    }

    /** The client properties that carry it, for any Kafka client; empty for PLAINTEXT. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> p = new HashMap<>();
        if (protocol.equals("PLAINTEXT")) {
            return p;
        }
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        if (sasl()) {
            p.put(SaslConfigs.SASL_MECHANISM, mechanism);
            String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + jaasQuoted(username.orElse(""))
                    + "\" password=\"" + jaasQuoted(password.map(Secret::value).orElse("")) + "\";");
        }
        if (tls()) {
            truststore.ifPresent(t -> {
                p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, t);
                p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, truststoreType);
            });
            truststorePassword.ifPresent(s -> p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, s.value()));
            keystore.ifPresent(k -> {
                p.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, k);
                p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, keystoreType);
            });
            keystorePassword.ifPresent(s -> p.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, s.value()));
            keyPassword.ifPresent(s -> p.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, s.value()));
            p.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, verifyHostname ? "https" : "");
        }
        return p;
    }

    /** A value inside a JAAS option's double quotes: Kafka's parser reads backslash escapes there. */
    private static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static boolean readable(String path) {
        return Files.isReadable(Path.of(path));
    }
}
