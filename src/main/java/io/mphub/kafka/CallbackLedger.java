package io.mphub.kafka;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What providers' callbacks have published, so that a repeat publishes nothing new: whichever replica it reaches, and
 * after restarts. The memory is the topic {@value #TOPIC} (compacted, its records deleted after {@link #WINDOW},
 * longer than WeChat Pay's day of retries), keyed by what identifies a callback (a WeChat Pay transaction, a Kuaidi100
 * push), its value when the result was published. Every replica follows it ({@link FollowedTopic}).
 * <p>
 * Two replicas given the same callback at once must not both publish it. A key belongs to one partition of the topic
 * (its bucket), and each partition is written by one transactional id for the whole cluster
 * ({@code mphub-callbacks-<partition>}). A publish first fences any publish of its partition still going on another
 * replica (Kafka aborts its open transaction, or finishes its commit, and its next commit fails): no transaction is
 * then open on that partition, so its committed end is its end. It waits until this replica has read that far: if
 * the key is there, it was published and nothing is. Otherwise the result and the key are written in one
 * transaction. A fenced publish starts again, and then finds the key if the other committed it. (On one partition for
 * all keys, another key's open transaction would hold the committed end back, and a commit after it go unseen.)
 */
public final class CallbackLedger implements FollowedTopic.Listener {

    public static final String TOPIC = "mp.hub.callbacks";
    /** WeChat Pay repeats a notification for about 24 hours: remembered a little longer. */
    public static final Duration WINDOW = Duration.ofHours(25);
    /** Partitions of the topic when the hub creates it: publishes of keys in different ones never wait for each other. */
    public static final int PARTITIONS = 16;
    /** A replica killed in the middle of a commit holds up the readers of {@code mp.results} this long at most. */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(CallbackLedger.class);

    private final KafkaClients clients;
    private final Clock clock;
    private final Duration timeout;
    /** Published keys, by when; those older than the window are as good as gone (the topic deletes them). */
    private final Map<String, Instant> published = new ConcurrentHashMap<>();
    private FollowedTopic topic;
    /** One lock per partition: this replica's publishes of one partition take turns (they share its transactional id). */
    private ReentrantLock[] buckets;

    /** @param timeout the longest a publish waits for Kafka */
    public CallbackLedger(KafkaClients clients, Clock clock, Duration timeout) {
        this.clients = clients;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** The topic as this replica follows it ({@link FollowedTopic#follow} with this ledger as its listener). */
    public void follow(FollowedTopic followed) {
        this.topic = followed;
        this.buckets = new ReentrantLock[followed.partitions()];
        Arrays.setAll(buckets, i -> new ReentrantLock());
    }

    /** Whether the ledger is followed (else repeats that reach this replica cannot be recognised: readiness says so). */
    public boolean following() {
        return topic.following();
    }

    /**
     * Publishes {@code result} unless a callback with the same {@code key} published within the window.
     *
     * @return true when it was published now, false when it had been (by this replica or another)
     * @throws OutboxWriteException when Kafka did not take it or could not be read in time: nothing was published,
     *                              and the provider, answered with an error, calls again
     */
    public boolean publishOnce(String key, ProducerRecord<String, byte[]> result) {
        if (seen(key)) {
            return false;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        int partition = Math.floorMod(key.hashCode(), buckets.length);
        ReentrantLock bucket = buckets[partition];
        try {
            if (!bucket.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new OutboxWriteException("callback " + key + " not published: this replica's publishes of its"
                        + " partition took longer than " + timeout.toSeconds() + " s", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxWriteException("interrupted while publishing callback " + key, e);
        }
        try {
            while (true) {
                try {
                    return attempt(key, partition, result, deadline);
                } catch (ProducerFencedException | InvalidProducerEpochException e) {
                    LOG.debug("callback {}: fenced by another replica's publish, trying again", key);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxWriteException("interrupted while publishing callback " + key, e);
        } catch (KafkaException e) {
            throw new OutboxWriteException("callback " + key + " not published: " + e.getMessage(), e);
        } finally {
            bucket.unlock();
        }
    }

    /** One try, within what is left of the deadline (a {@link System#nanoTime()} reading). */
    private boolean attempt(String key, int partition, ProducerRecord<String, byte[]> result, long deadline)
            throws InterruptedException {
        Duration left = Duration.ofNanos(deadline - System.nanoTime());
        if (left.toMillis() <= 0) {
            throw new KafkaException("no answer from Kafka within " + timeout.toSeconds() + " s");
        }
        String transactionalId = "mphub-callbacks-" + partition;
        Map<String, Object> config = clients.transactionalProducer(transactionalId, transactionalId,
                TRANSACTION_TIMEOUT);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) left.toMillis());
        Producer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer());
        try {
            // Fences a publish of this partition still going elsewhere: Kafka finishes or aborts what it left open.
            producer.initTransactions();
            if (!topic.awaitCaughtUp(FollowedTopic.now(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                throw new KafkaException(TOPIC + " could not be read to its end in " + timeout.toSeconds() + " s");
            }
            if (seen(key)) {
                return false;
            }
            Instant now = clock.instant();
            producer.beginTransaction();
            try {
                producer.send(result);
                producer.send(new ProducerRecord<>(TOPIC, partition, key, ByteBuffer.allocate(Long.BYTES)
                        .putLong(now.toEpochMilli()).array()));
                producer.commitTransaction();
            } catch (RuntimeException e) {
                throw aborted(producer, e);
            }
            published.put(key, now);
            return true;
        } finally {
            producer.close(Duration.ofSeconds(2)); // never waits long on a broker that is gone
        }
    }

    /** The failure to throw, once what the transaction wrote is aborted (unless another replica fenced it). */
    private static KafkaException aborted(Producer<String, byte[]> producer, RuntimeException e) {
        KafkaException fenced = Transactions.fencing(e);
        if (fenced != null) {
            return fenced; // the fencing replica's coordinator aborted it already
        }
        Transactions.abort(producer);
        return e instanceof KafkaException k ? k : new KafkaException(e);
    }

    private boolean seen(String key) {
        Instant at = published.get(key);
        return at != null && at.isAfter(clock.instant().minus(WINDOW));
    }

    /** A key published on any replica, read back from the topic; pruned of what the window has passed. */
    @Override
    public void changed(String key, byte[] value) {
        if (value == null || value.length != Long.BYTES) {
            published.remove(key);
            return;
        }
        published.put(key, Instant.ofEpochMilli(ByteBuffer.wrap(value).getLong()));
        if (published.size() % 1024 == 0) {
            Instant horizon = clock.instant().minus(WINDOW);
            published.values().removeIf(at -> at.isBefore(horizon));
        }
    }
}
