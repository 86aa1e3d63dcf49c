package io.mphub.kafka;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * after restarts. The memory is the topic {@value #TOPIC} (one partition, compacted, its records deleted after
 * {@link #WINDOW}, longer than WeChat Pay's day of retries), keyed by what identifies a callback (a WeChat Pay
 * transaction, a Kuaidi100 push), its value when the result was published. Every replica follows it
 * ({@link FollowedTopic}).
 * <p>
 * Two replicas given the same callback at once must not both publish it. Keys are spread over {@value #BUCKETS}
 * buckets, each with one transactional id for the whole cluster ({@code mphub-callbacks-<n>}). A publish first fences
 * any publish of its bucket still going on another replica (Kafka aborts its open transaction, or waits for its
 * commit, and its next commit fails), then waits until this replica has read everything committed so far: if the key
 * is there, it was published and nothing is. Otherwise the result and the key are written in one transaction. A
 * fenced publish starts again, and then finds the key if the other committed it.
 */
public final class CallbackLedger implements FollowedTopic.Listener {

    public static final String TOPIC = "mp.hub.callbacks";
    /** WeChat Pay repeats a notification for about 24 hours: remembered a little longer. */
    public static final Duration WINDOW = Duration.ofHours(25);
    static final int BUCKETS = 16;
    /** A replica killed in the middle of a commit holds up the readers of {@code mp.results} this long at most. */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);
    private static final int ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(CallbackLedger.class);

    private final KafkaClients clients;
    private final Clock clock;
    private final Duration timeout;
    /** Published keys, by when; those older than the window are as good as gone (the topic deletes them). */
    private final Map<String, Instant> published = new ConcurrentHashMap<>();
    private final ReentrantLock[] buckets = new ReentrantLock[BUCKETS];
    private FollowedTopic topic;

    /** @param timeout the longest a publish waits for Kafka */
    public CallbackLedger(KafkaClients clients, Clock clock, Duration timeout) {
        this.clients = clients;
        this.clock = clock;
        this.timeout = timeout;
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i] = new ReentrantLock();
        }
    }

    /** The topic as this replica follows it ({@link FollowedTopic#follow} with this ledger as its listener). */
    public void follow(FollowedTopic followed) {
        this.topic = followed;
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
        ReentrantLock bucket = buckets[Math.floorMod(key.hashCode(), BUCKETS)];
        bucket.lock();
        try {
            for (int attempt = 1;; attempt++) {
                try {
                    return attempt(key, result, "mphub-callbacks-" + Math.floorMod(key.hashCode(), BUCKETS));
                } catch (ProducerFencedException | InvalidProducerEpochException e) {
                    if (attempt == ATTEMPTS) {
                        throw new OutboxWriteException("callback " + key + ": another replica kept publishing in the"
                                + " same bucket; the provider calls again", e);
                    }
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

    private boolean attempt(String key, ProducerRecord<String, byte[]> result, String transactionalId)
            throws InterruptedException {
        Map<String, Object> config = clients.producer(transactionalId);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TRANSACTION_TIMEOUT.toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        try (Producer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            // Fences a publish of this bucket still going elsewhere: Kafka finishes or aborts what it left open.
            producer.initTransactions();
            if (!topic.awaitCaughtUp(FollowedTopic.now(), timeout)) {
                throw new KafkaException(TOPIC + " could not be read to its end in " + timeout.toSeconds() + " s");
            }
            if (seen(key)) {
                return false;
            }
            Instant now = clock.instant();
            producer.beginTransaction();
            try {
                producer.send(result);
                producer.send(new ProducerRecord<>(TOPIC, key, ByteBuffer.allocate(Long.BYTES)
                        .putLong(now.toEpochMilli()).array()));
                producer.commitTransaction();
            } catch (KafkaException e) {
                throw aborted(producer, e);
            }
            published.put(key, now);
            return true;
        }
    }

    /** The failure to throw, once what the transaction wrote is aborted (unless another replica fenced it). */
    private static KafkaException aborted(Producer<String, byte[]> producer, KafkaException e) {
        Throwable cause = e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException ? e
                : e.getCause();
        if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
            return (KafkaException) cause; // the fencing replica's coordinator aborted it already
        }
        try {
            producer.abortTransaction();
        } catch (KafkaException ignored) {
            // the producer is unusable: the broker aborts the transaction at its timeout
        }
        return e;
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
