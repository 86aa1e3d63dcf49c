package io.mphub.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What scheduled jobs remember between runs, and across replicas and restarts: the compacted topic {@value #TOPIC}
 * (one partition), keyed {@code <job>/…}, a key's last value its state. Nothing is kept on local disk or in one
 * replica's memory.
 * <p>
 * A run of a job has one transactional id for the whole cluster ({@code mphub-job-<job>}). {@link #begin} first fences
 * any run of the same job still going on another replica (its open transaction is aborted, and its next commit fails
 * with {@link Fenced}), then reads the state committed: so two replicas whose schedules fire together never both
 * publish what one of them already did. A run writes what it produced (on any topic, e.g. {@code mp.results}) and its
 * new state in one transaction ({@link Run#commit}): the hub's consumers read committed records only, so either both
 * are seen or neither.
 */
public final class JobLedger {

    public static final String TOPIC = "mp.hub.jobs";
    /**
     * A replica killed in the middle of a commit holds up the readers of the topics it wrote this long at most. A
     * commit is a few records sent at once, never a call to a third party.
     */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaClients clients;
    private final Function<Map<String, Object>, Producer<String, byte[]>> producers;

    public JobLedger(KafkaClients clients) {
        this(clients, config -> new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()));
    }

    JobLedger(KafkaClients clients, Function<Map<String, Object>, Producer<String, byte[]>> producers) {
        this.clients = clients;
        this.producers = producers;
    }

    /** This run lost the job to a run that began later, on this replica or another: it stops, the other goes on. */
    public static final class Fenced extends Exception {
        Fenced(Throwable cause) {
            super("another run of the job began meanwhile and goes on from here", cause);
        }
    }

    /**
     * Begins a run: fences the job's earlier runs, then reads the job's state to the end of the topic.
     *
     * @throws KafkaException when Kafka cannot be reached or read within {@code timeout}; nothing was done
     */
    public Run begin(String job, Duration timeout) {
        Map<String, Object> config = clients.transactionalProducer("mphub-job-" + job, "mphub-job-" + job,
                TRANSACTION_TIMEOUT);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        Producer<String, byte[]> producer = producers.apply(config);
        try {
            producer.initTransactions(); // fences a run still going; waits until what it left open is finished
            return new Run(job, producer, read(job, timeout));
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    /** The job's keys and their last committed values (a removed key is left out). */
    private Map<String, String> read(String job, Duration timeout) {
        String prefix = job + "/";
        Map<String, String> state = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(clients.consumer("mphub-job-" + job, null))) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, timeout).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new KafkaException(TOPIC + " has no partitions");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // read_committed: the end is the last stable offset, after every transaction begin() waited for.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), timeout) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException(TOPIC + " could not be read to its end in " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null || !r.key().startsWith(prefix)) {
                        continue;
                    }
                    if (r.value() == null) {
                        state.remove(r.key());
                    } else {
                        state.put(r.key(), new String(r.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return state;
    }

    /** One run of a job: the state it began with, and its commits. Closing it ends the run. */
    public static final class Run implements AutoCloseable {

        private final String job;
        private final Producer<String, byte[]> producer;
        private final Map<String, String> state;

        private Run(String job, Producer<String, byte[]> producer, Map<String, String> state) {
            this.job = job;
            this.producer = producer;
            this.state = state;
        }

        /** The job's state as this run began, by key ({@code <job>/…}). */
        public Map<String, String> state() {
            return Map.copyOf(state);
        }

        /**
         * Writes {@code records} and the new values of {@code progress} (keys {@code <job>/…}) in one transaction, and
         * returns once Kafka has committed it.
         *
         * @throws Fenced         when a later run of the job fenced this one: nothing of this commit is seen
         * @throws KafkaException when Kafka refused or did not answer: the transaction is aborted, nothing is seen
         */
        public void commit(List<ProducerRecord<String, byte[]>> records, Map<String, String> progress) throws Fenced {
            progress.keySet().forEach(key -> {
                if (!key.startsWith(job + "/")) {
                    throw new IllegalArgumentException("key " + key + " is not job " + job + "'s");
                }
            });
            try {
                producer.beginTransaction();
                records.forEach(producer::send);
                progress.forEach((key, value) -> producer.send(new ProducerRecord<>(TOPIC, key,
                        value.getBytes(StandardCharsets.UTF_8))));
                producer.commitTransaction();
                state.putAll(progress);
            } catch (KafkaException e) {
                if (Transactions.fencing(e) != null) {
                    throw new Fenced(e);
                }
                Transactions.abort(producer);
                throw e;
            }
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(2));
        }
    }
}
