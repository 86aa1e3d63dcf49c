package io.mphub.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How the hub's own Kafka clients are set up: the outbox producer, the admin client, and the consumers that are not a
 * route's (the control topic's follower, a replay). The routes' consumers are camel-kafka's, configured in
 * application.properties, with the same isolation level (set in boot's HubStart). One place, so that every client the
 * hub creates reaches the same cluster the same way.
 *
 * @param compression    the producer's {@code compression.type}: what every reader of the hub's topics must decode
 * @param maxRecordBytes the largest record the hub writes: the producer's {@code max.request.size}, and the
 *                       {@code max.message.bytes} of the topics it creates for its own output
 * @param security       TLS and SASL, the same for every client (camel-kafka's too: {@link #security()})
 */
public record KafkaClients(String bootstrapServers, String compression, int maxRecordBytes, KafkaSecurity security) {

    /** A cluster reached in plain text (the embedded broker, tests). */
    public KafkaClients(String bootstrapServers, String compression, int maxRecordBytes) {
        this(bootstrapServers, compression, maxRecordBytes, KafkaSecurity.PLAINTEXT);
    }

    /**
     * How long a send may wait before Kafka even queues it (no metadata for the topic, the buffer full): past it the
     * send fails, and what it was for is read again. Also the deadline of a provider callback's publish.
     */
    static final int MAX_BLOCK_MS = 5000;

    /**
     * What every consumer of the hub reads: committed transactions only. A replay writes its records and its progress
     * in one transaction, so a replay killed half-way leaves nothing a destination would deliver twice.
     */
    public static final String READ_COMMITTED = "read_committed";

    public Map<String, Object> producer(String clientId) {
        Map<String, Object> p = common();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 16L * 1024 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        return p;
    }

    /**
     * A producer's settings for transactions under {@code transactionalId}: a replica killed in the middle of a
     * commit holds up the topics' read_committed readers {@code transactionTimeout} at most.
     */
    public Map<String, Object> transactionalProducer(String clientId, String transactionalId,
            Duration transactionTimeout) {
        Map<String, Object> p = producer(clientId);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
        return p;
    }

    /**
     * A consumer of the hub's own (one that is not a route's): String keys, byte[] values, offsets committed by its
     * code alone, and only committed transactions read (a replay writes in transactions).
     *
     * @param groupId null for a consumer that assigns itself partitions and commits nothing
     */
    public Map<String, Object> consumer(String clientId, String groupId) {
        Map<String, Object> c = common();
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        if (groupId != null) {
            c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, READ_COMMITTED);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return c;
    }

    public Map<String, Object> admin() {
        Map<String, Object> a = common();
        a.put(AdminClientConfig.CLIENT_ID_CONFIG, "mphub-admin");
        return a;
    }

    private Map<String, Object> common() {
        Map<String, Object> c = new HashMap<>(security.clientProperties());
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return c;
    }
}
