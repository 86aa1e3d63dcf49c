package io.mphub.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How the hub's own Kafka clients are set up: the outbox producer and the admin client (the consumers are
 * camel-kafka's, configured in application.properties). One place, so that every client the hub creates reaches the
 * same cluster the same way.
 *
 * @param compression    the producer's {@code compression.type}: what every reader of the hub's topics must decode
 * @param maxRecordBytes the largest record the hub writes: the producer's {@code max.request.size}, and the
 *                       {@code max.message.bytes} of the topics it creates for its own output
 */
public record KafkaClients(String bootstrapServers, String compression, int maxRecordBytes) {

    /**
     * How long a send may wait before Kafka even queues it (no metadata for the topic, the buffer full): past it the
     * send fails, and what it was for is read again. Also the deadline of a provider callback's publish.
     */
    static final int MAX_BLOCK_MS = 5000;

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

    public Map<String, Object> admin() {
        Map<String, Object> a = common();
        a.put(AdminClientConfig.CLIENT_ID_CONFIG, "mphub-admin");
        return a;
    }

    private Map<String, Object> common() {
        Map<String, Object> c = new HashMap<>();
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return c;
    }
}
