package io.mphub.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.camel.util.concurrent.CamelThreadFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compacted topic of one partition that every replica reads from its start and then follows, so a key's last value
 * is its state, a removed key leaves a tombstone, and what one replica decides reaches every replica and outlasts a
 * restart: the hub's control topic {@value #CONTROL} (what operators decide: a destination paused by hand) and the
 * consent topic (what users decided).
 */
public final class FollowedTopic implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FollowedTopic.class);
    public static final String CONTROL = "mp.hub.control";
    private static final int RETRY_SECONDS = 5;

    /** What a replica does with each key's new state; {@code value} is null when the key was removed. */
    public interface Listener {
        void changed(String key, byte[] value);
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final Listener listener;
    private final Thread follower;
    /**
     * Asks the end offsets on a connection of its own: the follower's consumer has a fetch waiting at the broker
     * (up to fetch.max.wait.ms, 500 ms) that a ListOffsets on the same connection would queue behind.
     */
    private final Admin admin;
    private final String topic;
    private List<TopicPartition> partitions = List.of();
    /**
     * Every record written before this moment ({@link #now()}: {@code System.nanoTime}, monotonic) has been applied;
     * only ever grows. Guarded by {@code this} for writes.
     */
    private volatile long caughtUpAt = Long.MIN_VALUE;
    /** The latest moment a waiter needs the follower caught up to ({@link #awaitCaughtUp}). */
    private final AtomicLong wanted = new AtomicLong(Long.MIN_VALUE);
    /** True while the follower waits in {@code poll} with nothing to catch up: the only time a waiter wakes it. */
    private volatile boolean idle;
    private volatile boolean closed;
    private volatile boolean following = true;
    /** The offset of the last record this replica applied; guarded by {@code this}. */
    private long applied = -1;

    private FollowedTopic(String topic, KafkaConsumer<String, byte[]> consumer, Producer<String, byte[]> producer,
            Admin admin, Listener listener) {
        this.topic = topic;
        this.admin = admin;
        this.consumer = consumer;
        this.producer = producer;
        this.listener = listener;
        this.follower = new CamelThreadFactory("#name#", "mphub-follow-" + topic, true).newThread(this::follow);
    }

    /**
     * Reads the topic to its end, telling {@code listener} each key's state, before it returns (so start-up knows
     * every pause before a route starts); then follows it on a thread of its own.
     *
     * @throws TimeoutException when the topic cannot be read to its end within {@code timeout}
     */
    public static FollowedTopic follow(KafkaClients clients, String topic, Listener listener, Duration timeout)
            throws TimeoutException {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(clients.consumer("mphub-follow-" + topic, null));
        FollowedTopic followed = new FollowedTopic(topic, consumer, new KafkaProducer<>(clients.producer(
                "mphub-follow-" + topic), new StringSerializer(), new ByteArraySerializer()),
                Admin.create(clients.admin()), listener);
        try {
            long start = now();
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> partitions = List.of();
            // A topic just created may not be in the metadata yet: it has no partitions then.
            while (partitions.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(topic + " has no partitions after " + timeout.toSeconds() + " s");
                }
                partitions = consumer.partitionsFor(topic, timeout).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            followed.partitions = partitions;
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), timeout) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(topic + " could not be read to its end in " + timeout.toSeconds() + " s");
                }
                followed.apply(consumer.poll(Duration.ofMillis(200)));
            }
            followed.caughtUpAt = start;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            followed.close();
            throw new TimeoutException(topic + ": " + e.getMessage());
        } catch (TimeoutException | RuntimeException e) {
            followed.close();
            throw e;
        }
        followed.follower.start();
        return followed;
    }

    /**
     * Sets a key's state ({@code value} null removes it). Returns once Kafka has it and this replica has applied it,
     * as every replica does: the follower is the only one that applies a change, so changes apply in the topic's
     * order everywhere.
     */
    public void publish(String key, byte[] value) throws ExecutionException, TimeoutException, InterruptedException,
            NotYetApplied {
        long timeout = KafkaClients.MAX_BLOCK_MS * 2L;
        long offset = producer.send(new ProducerRecord<>(topic, key, value)).get(timeout, TimeUnit.MILLISECONDS)
                .offset();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        synchronized (this) {
            while (applied < offset) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || closed) {
                    throw new NotYetApplied(topic, offset);
                }
                wait(left);
            }
        }
    }

    /** Kafka has the change, but this replica has not read it back yet: it applies when it does, as everywhere. */
    public static final class NotYetApplied extends Exception {
        NotYetApplied(String topic, long offset) {
            super("written to " + topic + " (offset " + offset + "), not applied on this replica yet: it applies when"
                    + " the replica reads it");
        }
    }

    /** How many partitions the topic has. */
    public int partitions() {
        return partitions.size();
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
                    if (wanted.get() > caughtUpAt) {
                        catchUp();
                        continue;
                    }
                    idle = true;
                    try {
                        // A waiter arriving now sees idle and wakes this poll; one that came just before is seen by
                        // the check above on the next turn, at most a second later.
                        if (wanted.get() <= caughtUpAt) {
                            apply(consumer.poll(Duration.ofSeconds(1)));
                        }
                    } finally {
                        idle = false;
                    }
                    if (!following) {
                        following = true;
                        LOG.info("the topic {} is read again", topic);
                    }
                } catch (WakeupException e) {
                    if (closed) {
                        throw e;
                    }
                    // else woken by a waiter: the loop catches up now
                } catch (InterruptException e) {
                    throw e;
                } catch (RuntimeException e) {
                    if (following) {
                        following = false;
                        LOG.error("the topic {} cannot be read ({}): what other replicas write there does not reach"
                                + " this one until it can; trying again", topic,
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
                LOG.error("the topic {} is no longer followed on this replica", topic);
            }
            consumer.close(Duration.ofSeconds(1));
        }
    }

    /** The moment {@link #awaitCaughtUp} measures from: monotonic, this JVM's own. */
    public static long now() {
        return System.nanoTime();
    }

    /**
     * Waits until this replica has applied every record written to the topic before {@code moment} (a
     * {@link #now()}): what a decision made on another replica before then must be seen by.
     *
     * @return false when that did not happen within {@code timeout} (the topic cannot be read), or the topic closed
     */
    public boolean awaitCaughtUp(long moment, Duration timeout) throws InterruptedException {
        if (caughtUpAt >= moment) {
            return true;
        }
        wanted.accumulateAndGet(moment, Math::max);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (caughtUpAt < moment) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || closed) {
                    return false;
                }
                if (idle) {
                    consumer.wakeup(); // only an idle poll: a catch-up under way is never cut short
                }
                wait(Math.min(left, 100));
            }
        }
        return true;
    }

    /**
     * Reads up to the end offsets asked for now, so that every record written before now is applied. A stray wakeup
     * (a waiter that saw the follower idle an instant too late) is taken as a nudge, not a stop.
     */
    private void catchUp() {
        long asked = now();
        Map<TopicPartition, Long> ends = endOffsets();
        while (!closed) {
            try {
                if (ends.entrySet().stream().noneMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                    break;
                }
                apply(consumer.poll(Duration.ofMillis(100)));
            } catch (WakeupException e) {
                // a waiter's nudge: go on
            }
        }
        if (closed) {
            return;
        }
        synchronized (this) {
            caughtUpAt = Math.max(caughtUpAt, asked);
            notifyAll();
        }
    }

    /** The partitions' end offsets (committed records only, as the follower reads), from the admin client. */
    private Map<TopicPartition, Long> endOffsets() {
        try {
            return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())),
                            new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(RETRY_SECONDS, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException(topic + ": its end offsets cannot be read: "
                    + e.getMessage());
        }
    }

    private void apply(Iterable<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                if (r.key() != null) {
                    listener.changed(r.key(), r.value());
                }
            } catch (RuntimeException e) {
                LOG.warn("{}@{}: key {} not applied: {}", topic, r.offset(), r.key(), e.toString());
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
        admin.close(Duration.ofSeconds(2));
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
