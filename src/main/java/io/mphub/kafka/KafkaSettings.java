package io.mphub.kafka;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.mphub.config.Setting;
import io.mphub.config.Settings;

/**
 * The cluster, the embedded broker, and the topics and records the hub writes ({@code kafka.bootstrap-servers},
 * {@code mphub.kafka.*}).
 *
 * @param bootstrapServers empty: start the embedded broker
 */
public record KafkaSettings(Optional<String> bootstrapServers, Path embeddedDataDir, int embeddedPort,
        int embeddedControllerPort, int partitions, short replicationFactor, String compression, int maxRecordBytes,
        KafkaSecurity security) {

    public static final Setting<String> BOOTSTRAP_SERVERS = Setting.text("kafka.bootstrap-servers")
            .description("The Kafka cluster, host:port pairs comma-separated. Not set: the hub starts Apache Kafka's"
                    + " own KRaft server in process (the embedded broker).");
    public static final Setting<String> EMBEDDED_DATA_DIR = Setting.text("mphub.kafka.embedded.data-dir")
            .defaultValue("data/kafka")
            .description("Embedded broker: where it keeps its data, formatted on first start and kept across restarts.");
    public static final Setting<Integer> EMBEDDED_PORT = Setting.integer("mphub.kafka.embedded.port").defaultValue(9092)
            .range(1, 65535).description("Embedded broker: its client port, on localhost.");
    public static final Setting<Integer> EMBEDDED_CONTROLLER_PORT = Setting.integer("mphub.kafka.embedded.controller-port")
            .defaultValue(9093).range(1, 65535).description("Embedded broker: its KRaft controller port, on localhost.");
    public static final Setting<Integer> PARTITIONS = Setting.integer("mphub.kafka.partitions").defaultValue(8)
            .range(1, 10_000).description("Partitions of the topics the hub creates when they are missing: the most"
                    + " consumer threads (of all replicas) that share one topic's work.");
    public static final Setting<Integer> REPLICATION_FACTOR = Setting.integer("mphub.kafka.replication-factor")
            .defaultValue(1).range(1, (int) Short.MAX_VALUE).description("Replicas of each topic the hub creates: at most the"
                    + " cluster's brokers (3 on a production cluster).");
    public static final Setting<String> COMPRESSION = Setting.oneOf("mphub.kafka.compression", "none", "gzip",
                    "snappy", "lz4", "zstd")
            .defaultValue("none").fix("use none (every client reads it), gzip (smaller, every client reads it), or lz4,"
                    + " snappy, zstd (KafkaJS needs a codec package for these)").description("Compression of everything the hub writes. Every client reads none and"
                    + " gzip as it comes; KafkaJS needs a codec package for snappy, lz4 and zstd and, without one, reads"
                    + " nothing.");
    /**
     * Twice Kafka's default record limit (1 MiB): a dead letter then keeps the whole of any record a topic at the broker's
     * default limit holds, with room for its error headers.
     */
    public static final Setting<Integer> MAX_RECORD_BYTES = Setting.integer("mphub.kafka.max-record-bytes")
            .defaultValue(2 * 1024 * 1024).range(64 * 1024, 100 * 1024 * 1024 - 64 * 1024)
            .fix("set it to e.g. 2097152 (2 MiB: room for a dead letter of any record a topic at Kafka's default limit"
                    + " holds)").description("The largest record the hub writes: its producer's max.request.size, and max.message.bytes of"
                    + " the topics it creates for its own output (mp.out.*, mp.dlq.*, mp.results). Twice Kafka's"
                    + " default, so that a dead letter keeps the whole of any record an input topic at the broker's"
                    + " default holds, with its error headers.");

    public static final List<Setting<?>> ALL = Stream.concat(Stream.of(BOOTSTRAP_SERVERS, EMBEDDED_DATA_DIR,
            EMBEDDED_PORT, EMBEDDED_CONTROLLER_PORT, PARTITIONS, REPLICATION_FACTOR, COMPRESSION, MAX_RECORD_BYTES),
            KafkaSecurity.ALL.stream()).toList();

    public static KafkaSettings read(Settings.Reader settings) {
        Optional<String> bootstrap = settings.optional(BOOTSTRAP_SERVERS);
        return new KafkaSettings(bootstrap, Path.of(settings.get(EMBEDDED_DATA_DIR)),
                settings.get(EMBEDDED_PORT), settings.get(EMBEDDED_CONTROLLER_PORT), settings.get(PARTITIONS),
                settings.get(REPLICATION_FACTOR).shortValue(), settings.get(COMPRESSION), settings.get(MAX_RECORD_BYTES),
                KafkaSecurity.read(settings, bootstrap.isEmpty()));
    }

    /** The hub's clients of this cluster, at {@code bootstrap} (the cluster's, or the embedded broker's). */
    public KafkaClients clients(String bootstrap) {
        return new KafkaClients(bootstrap, compression, maxRecordBytes, security);
    }
}
