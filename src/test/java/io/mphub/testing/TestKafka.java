package io.mphub.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.kafka.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A real Kafka broker (mphub's embedded KRaft server) on free ports in a temporary directory, with helpers. */
public final class TestKafka implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final int PARTITIONS = 4;

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final String bootstrapServers;
    private volatile EmbeddedKafka broker;
    private final KafkaProducer<String, byte[]> producer;

    private TestKafka(Path dir, int port, int controllerPort) throws Exception {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.broker = EmbeddedKafka.start(dir, port, controllerPort, PARTITIONS);
        this.bootstrapServers = broker.bootstrapServers();
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    public static TestKafka start() throws Exception {
        return new TestKafka(Files.createTempDirectory("mphub-kafka"), EmbeddedKafka.freePort(), EmbeddedKafka.freePort());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker, keeping its data: clients see it go away, as with a broker that crashed or was stopped. */
    public void stopBroker() {
        broker.close();
    }

    /** Starts the broker again on the same ports with the same data. */
    public void restartBroker() throws Exception {
        broker = EmbeddedKafka.start(dir, port, controllerPort, PARTITIONS);
    }

    /** An admin client of this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * Whether {@code group} is stable with {@code members} members that hold every partition of {@code topic}
     * between them: no rebalance is under way, so each partition's records go to one thread that is already polling.
     */
    public boolean groupIsSettled(String group, String topic, int members) {
        try (Admin admin = admin()) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            long assigned = d.members().stream().flatMap(m -> m.assignment().topicPartitions().stream())
                    .filter(tp -> tp.topic().equals(topic)).count();
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            return d.state() == ConsumerGroupState.STABLE && d.members().size() == members && assigned == partitions;
        } catch (Exception e) {
            return false;
        }
    }

    /** Creates a topic with its own configuration (for example a smaller max.message.bytes), before the hub does. */
    public void createTopic(String name, Map<String, String> configs) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, PARTITIONS, (short) 1).configs(configs))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void publish(String topic, String key, String value) {
        publish(topic, key, value.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** Publishes to one partition, whatever the key. */
    public void publish(String topic, int partition, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, partition, key, value.getBytes(StandardCharsets.UTF_8))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void publish(String topic, String key, byte[] value, Map<String, String> headers) {
        RecordHeaders h = new RecordHeaders();
        headers.forEach((k, v) -> h.add(k, v.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(new ProducerRecord<>(topic, null, key, value, h)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes a burst, as a busy producer does: every record sent without waiting, then all acknowledged. */
    public void publishAll(String topic, List<Map.Entry<String, String>> keyedValues) {
        List<Future<?>> sent = new ArrayList<>();
        keyedValues.forEach(kv -> sent.add(producer.send(new ProducerRecord<>(topic, kv.getKey(),
                kv.getValue().getBytes(StandardCharsets.UTF_8)))));
        try {
            for (Future<?> f : sent) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a consumer group has committed every record of a topic. */
    public boolean groupCaughtUp(String group, String topic) {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(latest).all().get();
            return ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                    || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue().offset()));
        } catch (Exception e) {
            return false;
        }
    }

    /** Reads a topic from the beginning until {@code count} records are in or the timeout passes. */
    public List<ConsumerRecord<String, byte[]>> read(String topic, int count, Duration timeout) {
        return read(topic, count, timeout, "read_uncommitted");
    }

    /**
     * Reads a topic as a reader with this {@code isolation.level} would: {@code read_committed} (as the hub's consumers
     * read) leaves out what aborted transactions wrote; {@code read_uncommitted} shows it.
     */
    public List<ConsumerRecord<String, byte[]>> read(String topic, int count, Duration timeout, String isolation) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Every record of the topic so far (up to its end when the call began), as a reader that does not commit. */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        return readAll(topic, "read_uncommitted");
    }

    /**
     * Every record of the topic so far, as a reader with this {@code isolation.level} would see it: returns as soon as
     * it has read to the end the topic had when the call began. That end is the high watermark under either isolation:
     * a transaction's commit returns before the broker has written its markers, so the last stable offset at the call
     * may not yet include a transaction the caller has just seen committed; a read_committed reader gets past the end
     * once the markers are written (or the open transactions before it end).
     */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic, String isolation) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = highWatermarks(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(topic + " could not be read to its end in 30 s");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    private Map<TopicPartition, Long> highWatermarks(List<TopicPartition> partitions) {
        try (Admin admin = admin()) {
            return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())),
                            new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get()
                    .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("the end offsets of " + partitions + " could not be read", e);
        }
    }

    /** A record's value as JSON (an event as the hub writes it). */
    public static JsonNode json(ConsumerRecord<?, byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        broker.close();
    }
}
