package io.mphub.deliver;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.mphub.privacy.Audit;
import io.mphub.privacy.Privacy;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultConsumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of a destination's outbox topic ({@code mp.out.<name>}) behind routes/templates/deliver.camel.yaml:
 * many users' events in flight at once, never two of one user's, each user's in order.
 * <ul>
 * <li>One thread polls. Each record goes to its user's lane ({@link Lanes}: the partition and the record key); up to
 * {@code in-flight} lanes are worked at once, each on its own thread, which runs the record through the route (the
 * delivery bean, and the route's error handling: dead letters). A user whose event is retrying holds back only that
 * user's later events.</li>
 * <li>At least once: after each poll, one commit for every partition that moved, to its first record not finished
 * ({@link Progress}), once the audit records of what it covers are in Kafka. A hub killed at any moment repeats what
 * it had in flight, never loses it.</li>
 * <li>A record whose failure the route does not handle (the destination paused, or the hub's own Kafka failed) blocks
 * its lane (its user's later records wait, not started); its partition is read again from its first record not
 * finished, after a second's rest.</li>
 * <li>Each start has its own poll thread and lanes ({@link Run}); a start waits until the previous one's are done.</li>
 * <li>Suspended (a paused destination), it finishes what is in flight, commits, puts each partition back at its first
 * unfinished record and polls nothing more. Read but not begun is dropped and read again.</li>
 * <li>At most {@code 10 × in-flight} records not finished (at least 1,000), and 20 times that not past the commit
 * point, are held at once; the consumer stops fetching above either.</li>
 * </ul>
 */
final class OutboxConsumer extends DefaultConsumer implements Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxConsumer.class);
    /** How long a partition whose record failed unhandled rests before it is read again. */
    private static final Duration REST = Duration.ofSeconds(1);
    /**
     * How often offsets are committed while records flow. Each commit is a write to the broker; one per poll, at a
     * steady rate a few records each, cost the hub and the broker more than the deliveries did. A crash repeats at
     * most this much more than what was in flight.
     */
    static final Duration COMMIT_EVERY = Duration.ofMillis(100);

    /** A user's lane: the record key, in its partition. */
    private record LaneKey(TopicPartition partition, String key) {
    }

    /** A record to deliver; {@code formed}: when it was polled (consent is judged as of then). */
    private record Work(ConsumerRecord<String, byte[]> record, TopicPartition partition, Progress.Slot slot,
            long formed) {
    }

    private final Destination destination;
    private final Properties kafka;
    private final Audit audit;
    private final Duration pollTimeout;
    private final SharedRate rate;
    private final Stopping stopping;
    private final Runnable leave = this::leaveEarly;
    /** The most records not finished it holds: above it, fetching stops. */
    private final int maxHeld;
    /**
     * The most records not past the commit point it holds, finished or not (each keeps a slot and an audit entry
     * until its partition's commit passes it): a user retrying for long holds back only its own events until this
     * many wait behind it.
     */
    private final int maxBehind;
    private volatile boolean suspendRequested;
    /** The consumer's life since its last start; the one before may still be ending. */
    private volatile Run current;
    private Run previous;

    OutboxConsumer(DeliveryEndpoint endpoint, Processor processor, Destination destination, Properties kafka,
            Audit audit, Duration pollTimeout, Stopping stopping) {
        super(endpoint, processor);
        this.stopping = stopping;
        this.destination = destination;
        this.kafka = kafka;
        this.audit = audit;
        this.pollTimeout = pollTimeout;
        this.rate = SharedRate.of(destination);
        this.maxHeld = Math.max(1_000, 10 * destination.inFlight());
        this.maxBehind = 20 * maxHeld;
    }

    /** Requests in flight now. */
    int inFlight() {
        Run r = current;
        return r == null ? 0 : r.lanes.running();
    }

    /**
     * Starts a poll thread and its lanes, once the previous start's are all ended: never two consumers of this
     * destination in one hub, nor a user's event sent by both.
     */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (previous != null) {
            previous.awaitEnd();
        }
        suspendRequested = false;
        current = new Run();
        current.thread.start();
        stopping.whenStopping(leave);
    }

    /**
     * When the hub begins stopping, this consumer finishes what is in flight and leaves its group at once, instead of
     * when Camel comes to its route: its partitions go to the other replicas a few seconds sooner.
     */
    private void leaveEarly() {
        Run r = current;
        if (r != null) {
            r.stopRequested = true;
        }
    }

    @Override
    protected void doStop() throws Exception {
        stopping.forget(leave);
        Run r = current;
        if (r != null) {
            previous = r;
            r.stop();
        }
        super.doStop();
    }

    /**
     * Suspends without waiting for Camel's lock on this consumer. A lane's own thread suspends it (its destination
     * pauses) while the route may be stopping, and Camel holds that lock through a stop, which waits for the lanes:
     * waiting here would hold both up. The poll thread settles and holds at once either way; a route started again
     * is suspended again by the pauser if its destination is still paused.
     */
    @Override
    public void suspend() {
        suspendRequested = true;
        if (lock.tryLock()) {
            try {
                super.suspend();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The poll thread settles and holds. */
    @Override
    protected void doSuspend() {
        suspendRequested = true;
    }

    @Override
    protected void doResume() {
        suspendRequested = false;
    }

    /** One start of the consumer: its poll thread, its lanes, what they failed, and its end. */
    private final class Run {

        final Lanes<LaneKey, Work> lanes = new Lanes<>("deliver-" + destination.name(), destination.inFlight(),
                this::work);
        final Map<TopicPartition, String> failed = new ConcurrentHashMap<>();
        final Thread thread = new Thread(this::poll, "deliver-" + destination.name() + "-poll");
        final CountDownLatch ended = new CountDownLatch(1);
        volatile boolean stopRequested;

        /** Asks it to stop and waits (a minute at most: what it has in flight is then read again next time). */
        void stop() {
            stopRequested = true;
            try {
                if (!ended.await(1, TimeUnit.MINUTES)) {
                    LOG.error("delivery to {} did not stop within a minute; it stops when what it has in flight is"
                            + " done, and that is read again at the next start", destination.name());
                    return;
                }
            } catch (InterruptedException e) {
                // Camel gave up waiting for the stop: the run ends on its own, the next start waits for it.
                Thread.currentThread().interrupt();
                return;
            }
            lanes.close();
        }

        /** Waits until the poll thread and every lane of this run are done (they stop by themselves once asked). */
        void awaitEnd() throws InterruptedException {
            while (!ended.await(1, TimeUnit.MINUTES)) {
                LOG.error("delivery to {} waits for its previous consumer to end before it starts again",
                        destination.name());
            }
            lanes.awaitIdle(k -> true);
            lanes.close();
        }

        private void poll() {
            try {
                while (!stopRequested) {
                    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka)) {
                        new Session(this, consumer, new Progress()).run();
                    } catch (InterruptedException e) {
                        return;
                    } catch (Throwable e) {
                        if (stopRequested) {
                            return;
                        }
                        LOG.error("delivery to {}: its Kafka consumer failed ({}); it reads again from the committed"
                                + " offsets in {} s", destination.name(), e.toString(), REST.toSeconds(), e);
                        lanes.drop(k -> true);
                        lanes.awaitIdle(k -> true);
                        Thread.sleep(REST.toMillis());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ended.countDown();
            }
        }

        /**
         * On a lane's thread: one record through the route. False (its lane stops) when it is to be read again: its
         * partition is then always marked to be read again, whatever went wrong, so no partition waits for it
         * forever.
         */
        private boolean work(Work w) {
            String again = "stopping";
            try {
                if (rate != null && !rate.acquire(stopping)) {
                    return false; // the hub is stopping: read again at the next start
                }
                Exception failure = deliver(w);
                if (failure == null) {
                    w.slot().done();
                    return true;
                }
                // Not handled by the route: the destination paused, or the hub's own Kafka failed.
                again = failure.toString();
                return false;
            } finally {
                if (!w.slot().isDone()) {
                    failed.putIfAbsent(w.partition(), again);
                }
            }
        }
    }

    /** One Kafka consumer's life: polls, hands records to lanes, commits what is finished. */
    private final class Session implements ConsumerRebalanceListener {

        private final Run run;
        private final Lanes<LaneKey, Work> lanes;
        private final KafkaConsumer<String, byte[]> consumer;
        private final Progress progress;
        /** Partitions resting after a failure, until a {@link System#nanoTime()} reading. */
        private final Map<TopicPartition, Long> resting = new HashMap<>();
        private boolean holding;
        /** When the last commit was sent, a {@link System#nanoTime()} reading. */
        private long lastCommit = System.nanoTime();

        Session(Run run, KafkaConsumer<String, byte[]> consumer, Progress progress) {
            this.run = run;
            this.lanes = run.lanes;
            this.consumer = consumer;
            this.progress = progress;
        }

        void run() throws InterruptedException {
            consumer.subscribe(List.of(destination.outboxTopic()), this);
            while (!run.stopRequested) {
                boolean suspend = suspendRequested;
                if (suspend && !holding) {
                    settle(consumer.assignment(), true);
                }
                holding = suspend;
                rewindFailed();
                pauseWhatWaits();
                ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
                if (!records.isEmpty()) {
                    long formed = Privacy.now();
                    for (ConsumerRecord<String, byte[]> r : records) {
                        TopicPartition p = new TopicPartition(r.topic(), r.partition());
                        lanes.add(new LaneKey(p, r.key() == null ? "" : r.key()),
                                new Work(r, p, progress.add(p, r.offset()), formed));
                    }
                }
                commit(false);
            }
            settle(consumer.assignment(), false);
        }

        /**
         * Drops what of these partitions has not begun, waits for what is in flight, commits, and (unless they are
         * being given up) puts each back at its first record not finished.
         */
        private void settle(Collection<TopicPartition> partitions, boolean rewind) throws InterruptedException {
            Set<TopicPartition> these = new HashSet<>(partitions);
            lanes.drop(k -> these.contains(k.partition()));
            lanes.awaitIdle(k -> these.contains(k.partition()));
            commit(true);
            if (rewind) {
                for (TopicPartition p : these) {
                    Long first = progress.firstUnfinished(p);
                    if (first != null) {
                        consumer.seek(p, first);
                    }
                }
            }
            progress.forget(these);
        }

        private void rewindFailed() throws InterruptedException {
            for (TopicPartition p : List.copyOf(run.failed.keySet())) {
                String why = run.failed.remove(p);
                if (consumer.assignment().contains(p)) {
                    LOG.debug("delivery to {}: {} is read again from its first record not finished ({})",
                            destination.name(), p, why);
                    settle(List.of(p), true);
                    resting.put(p, System.nanoTime() + REST.toNanos());
                }
            }
        }

        /**
         * Pauses fetching: all partitions while suspended, or while it holds {@code maxHeld} records not finished, or
         * {@code maxBehind} not past the commit point; else those resting.
         */
        private void pauseWhatWaits() {
            long now = System.nanoTime();
            resting.values().removeIf(until -> until - now <= 0);
            Set<TopicPartition> assigned = consumer.assignment();
            Set<TopicPartition> want = new HashSet<>(assigned);
            if (!holding && lanes.pending() < maxHeld && progress.held() < maxBehind) {
                want.retainAll(resting.keySet());
            }
            Set<TopicPartition> paused = consumer.paused();
            if (!want.equals(paused)) {
                Set<TopicPartition> resume = new HashSet<>(paused);
                resume.removeAll(want);
                consumer.resume(resume);
                consumer.pause(want);
            }
        }

        /**
         * Commits what moved, once the audit records of what it covers are in Kafka. When they cannot be written,
         * nothing is committed and the failure ends the session (its records are read again). An asynchronous commit
         * waits for {@link #COMMIT_EVERY} since the last; a synchronous one (pause, rebalance, stop) never waits.
         */
        private void commit(boolean sync) {
            long now = System.nanoTime();
            if (!sync && now - lastCommit < COMMIT_EVERY.toNanos()) {
                return;
            }
            lastCommit = now;
            Map<TopicPartition, OffsetAndMetadata> offsets = progress.advanced();
            if (offsets.isEmpty()) {
                return;
            }
            try {
                audit.flush(destination.name());
            } catch (RuntimeException e) {
                progress.uncommitted(offsets);
                throw e;
            }
            if (sync) {
                try {
                    consumer.commitSync(offsets);
                } catch (RuntimeException e) {
                    progress.uncommitted(offsets);
                    LOG.warn("delivery to {}: commit of {} failed ({}); what it covers is delivered again",
                            destination.name(), offsets.keySet(), e.toString());
                }
            } else {
                consumer.commitAsync(offsets, (done, e) -> {
                    if (e != null) {
                        progress.uncommitted(offsets);
                        if (e instanceof RebalanceInProgressException) {
                            // Cooperative rebalancing goes on while the consumer delivers: expected, and brief.
                            LOG.debug("delivery to {}: commit of {} left to the next one: the group is rebalancing",
                                    destination.name(), offsets.keySet());
                        } else {
                            LOG.warn("delivery to {}: commit of {} failed ({}); the next one covers it",
                                    destination.name(), offsets.keySet(), e.toString());
                        }
                    }
                });
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                settle(partitions, false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            partitions.forEach(resting::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (suspendRequested) {
                consumer.pause(partitions);
            }
            shareRate();
        }

        /** The destination's rate is the whole group's: this replica takes its partitions' share. */
        private void shareRate() {
            if (rate != null) {
                rate.owned(consumer.assignment().size(), consumer.partitionsFor(destination.outboxTopic()).size());
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Another consumer has them already: nothing to commit, what is in flight is its to repeat.
            Set<TopicPartition> these = new HashSet<>(partitions);
            lanes.drop(k -> these.contains(k.partition()));
            try {
                lanes.awaitIdle(k -> these.contains(k.partition()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            progress.forget(these);
            partitions.forEach(resting::remove);
        }
    }

    /** Runs the record through the route; returns what the route did not handle, or null. */
    private Exception deliver(Work w) {
        Exchange exchange = createExchange(false);
        try {
            ConsumerRecord<String, byte[]> r = w.record();
            Message m = exchange.getMessage();
            m.setBody(r.value());
            m.setHeader(KafkaConstants.TOPIC, r.topic());
            m.setHeader(KafkaConstants.PARTITION, r.partition());
            m.setHeader(KafkaConstants.OFFSET, r.offset());
            m.setHeader(KafkaConstants.KEY, r.key());
            m.setHeader(KafkaConstants.TIMESTAMP, r.timestamp());
            for (Header h : r.headers()) {
                m.setHeader(h.key(), h.value());
            }
            exchange.setProperty(Delivery.DESTINATION, destination.name());
            exchange.setProperty(Delivery.FORMED, w.formed());
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        Exception failure = exchange.getException();
        releaseExchange(exchange, false);
        return failure;
    }
}
