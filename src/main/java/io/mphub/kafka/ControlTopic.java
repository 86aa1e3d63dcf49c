package io.mphub.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.util.concurrent.CamelThreadFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's control topic, {@value #TOPIC}: compacted, one partition, so a key's last value is its state and a
 * removed key leaves a tombstone. Every replica reads it from its start and then follows it, so what an operator
 * decides on one replica (a destination paused by hand) reaches every replica, and outlasts a restart.
 */
public final class ControlTopic implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlTopic.class);
    public static final String TOPIC = "mp.hub.control";
    private static final int RETRY_SECONDS = 5;

    /** What a replica does with each key's new state; {@code value} is null when the key was removed. */
    public interface Listener {
        void changed(String key, byte[] value);
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final Listener listener;
    private final Thread follower;
    private volatile boolean closed;
    private volatile boolean following = true;
    /** The offset of the last record this replica applied; guarded by {@code this}. */
    private long applied = -1;

    private ControlTopic(KafkaConsumer<String, byte[]> consumer, Producer<String, byte[]> producer, Listener listener) {
        this.consumer = consumer;
        this.producer = producer;
        this.listener = listener;
        this.follower = new CamelThreadFactory("#name#", "mphub-control", true).newThread(this::follow);
    }

    /**
     * Reads the topic to its end, telling {@code listener} each key's state, before it returns (so start-up knows
     * every pause before a route starts); then follows it on a thread of its own.
     *
     * @throws TimeoutException when the topic cannot be read to its end within {@code timeout}
     */
    public static ControlTopic follow(KafkaClients clients, Listener listener, Duration timeout)
            throws TimeoutException {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(clients.consumer("mphub-control", null));
        ControlTopic control = new ControlTopic(consumer, new KafkaProducer<>(clients.producer("mphub-control"),
                new StringSerializer(), new ByteArraySerializer()), listener);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> partitions = List.of();
            // A topic just created may not be in the metadata yet: it has no partitions then.
            while (partitions.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(TOPIC + " has no partitions after " + timeout.toSeconds() + " s");
                }
                partitions = consumer.partitionsFor(TOPIC, timeout).stream()
                        .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), timeout) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(TOPIC + " could not be read to its end in " + timeout.toSeconds() + " s");
                }
                control.apply(consumer.poll(Duration.ofMillis(200)));
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            control.close();
            throw new TimeoutException(TOPIC + ": " + e.getMessage());
        } catch (TimeoutException | RuntimeException e) {
            control.close();
            throw e;
        }
        control.follower.start();
        return control;
    }

    /**
     * Sets a key's state ({@code value} null removes it). Returns once Kafka has it and this replica has applied it,
     * as every replica does: the follower is the only one that applies a change, so changes apply in the topic's
     * order everywhere.
     */
    public void publish(String key, byte[] value) throws ExecutionException, TimeoutException, InterruptedException,
            NotYetApplied {
        long timeout = KafkaClients.MAX_BLOCK_MS * 2L;
        long offset = producer.send(new ProducerRecord<>(TOPIC, key, value)).get(timeout, TimeUnit.MILLISECONDS)
                .offset();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        synchronized (this) {
            while (applied < offset) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || closed) {
                    throw new NotYetApplied(offset);
                }
                wait(left);
            }
        }
    }

    /** Kafka has the change, but this replica has not read it back yet: it applies when it does, as everywhere. */
    public static final class NotYetApplied extends Exception {
        NotYetApplied(long offset) {
            super("written to " + TOPIC + " (offset " + offset + "), not applied on this replica yet: it applies when"
                    + " the replica reads it");
        }
    }

    /** Whether the follower reads the topic: false once it failed, until it reads again. */
    public boolean following() {
        return following;
    }

    /**
     * Follows the topic until closed. A failure to read is said once, shows in {@link #following} (and so in
     * readiness), and is tried again every few seconds from where it stopped; reading again is said too.
     */
    private void follow() {
        try {
            while (!closed) {
                try {
                    apply(consumer.poll(Duration.ofSeconds(1)));
                    if (!following) {
                        following = true;
                        LOG.info("the control topic {} is read again", TOPIC);
                    }
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (RuntimeException e) {
                    if (following) {
                        following = false;
                        LOG.error("the control topic {} cannot be read ({}): operators' pauses and resumes made from"
                                + " another replica do not reach this one until it can; trying again", TOPIC,
                                e.toString());
                    }
                    TimeUnit.SECONDS.sleep(RETRY_SECONDS);
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!closed) {
                following = false; // ended without being closed: nothing follows the topic any more
                LOG.error("the control topic {} is no longer followed on this replica", TOPIC);
            }
            consumer.close(Duration.ofSeconds(1));
        }
    }

    private void apply(Iterable<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                if (r.key() != null) {
                    listener.changed(r.key(), r.value());
                }
            } catch (RuntimeException e) {
                LOG.warn("{}@{}: key {} not applied: {}", TOPIC, r.offset(), r.key(), e.toString());
            }
            synchronized (this) {
                applied = r.offset();
                notifyAll();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            notifyAll(); // a publish waiting to see its change applied gives up now
        }
        producer.close(Duration.ofSeconds(2));
        if (follower.isAlive()) {
            consumer.wakeup();
            try {
                follower.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(Duration.ofSeconds(1));
        }
    }
}
