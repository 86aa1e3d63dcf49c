package io.mphub.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache Kafka's own KRaft server (broker and controller in one node), started in this JVM. It is real Kafka:
 * the same log, protocol and group coordinator a cluster runs. Data is kept in {@code dataDir} across restarts;
 * the directory is formatted once, on first start, so the cluster id and every topic survive.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts a single-node broker listening on localhost; returns once it accepts clients. */
    public static EmbeddedKafka start(Path dataDir, int brokerPort, int controllerPort, int partitions) throws Exception {
        return start(dataDir, brokerPort, controllerPort, partitions, Map.of());
    }

    /**
     * The same, with broker properties set over the hub's: for tests, e.g. a second listener with TLS and SASL
     * (its inter-broker and controller listeners stay plain text).
     */
    public static EmbeddedKafka start(Path dataDir, int brokerPort, int controllerPort, int partitions,
            Map<String, String> overrides) throws Exception {
        Files.createDirectories(dataDir);
        String logDir = dataDir.toAbsolutePath().toString();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        props.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir);
        props.put("num.partitions", String.valueOf(partitions));
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("min.insync.replicas", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        // One node: after a crash the controller would otherwise wait out the dead broker's 9 s session
        // before the restarted broker may register.
        props.put("broker.heartbeat.interval.ms", "500");
        props.put("broker.session.timeout.ms", "1500");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        // Kafka's default minimum, 6 s, would refuse the hub's 4 s consumer sessions (fast takeover after a crash).
        props.put(SessionBounds.MIN, "2000");
        props.putAll(overrides);
        KafkaConfig config = new KafkaConfig(props, false);

        if (Files.exists(dataDir.resolve("meta.properties"))) {
            LOG.info("Embedded Kafka: reusing data in {}", logDir);
        } else {
            String clusterId = Uuid.randomUuid().toString();
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(clusterId)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logDir)
                    .setDirectories(List.of(logDir))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
            LOG.info("Embedded Kafka: formatted {} (cluster {})", logDir, clusterId);
        }

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        String bootstrap = "localhost:" + brokerPort;
        LOG.info("Embedded Kafka broker listening on {} (data in {})", bootstrap, logDir);
        return new EmbeddedKafka(server, bootstrap);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    /** A port that was free a moment ago, for tests and for a broker asked to pick its own. */
    public static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
