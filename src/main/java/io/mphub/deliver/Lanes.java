package io.mphub.deliver;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work in lanes, one lane per key: the items of one key are worked one at a time, in the order they were added; items
 * of different keys are worked at once, up to {@code width} at a time. A destination's lanes are its users (the
 * outbox record's key), so many users' events are in flight at once and never two of one user's.
 * <p>
 * Lanes with work wait their turn in a queue; a thread that finishes an item takes the next lane in the queue (a
 * lane with more items goes to its back, so a user with many events does not crowd out the others). Threads are
 * made only when every one is busy and fewer than {@code width} are, and end after a minute idle.
 * <p>
 * A lane whose item fails is blocked: its queued items are dropped, and items added to it later wait, not started,
 * until {@link #drop} removes the lane (their records are read again from Kafka, from the failed one on). So no later
 * item of that key overtakes the failed one.
 *
 * @param <K> a lane's key
 * @param <W> an item of work
 */
final class Lanes<K, W> {

    private static final Logger LOG = LoggerFactory.getLogger(Lanes.class);

    /** Works one item; false stops its lane (its queued items are dropped). */
    @FunctionalInterface
    interface Worker<W> {
        boolean work(W item);
    }

    private final class Lane {
        final K key;
        final ArrayDeque<W> items = new ArrayDeque<>();
        boolean running;
        /** Its item failed: it keeps what is added, not started, until dropped. */
        boolean blocked;
        /** Dropped while its item ran: it goes once that item is done. */
        boolean dropped;

        Lane(K key) {
            this.key = key;
        }
    }

    private final Worker<W> worker;
    private final int width;
    private final ExecutorService threads;
    /** Lanes with items: running, or waiting in {@link #waiting}. */
    private final Map<K, Lane> lanes = new HashMap<>();
    private final ArrayDeque<Lane> waiting = new ArrayDeque<>();
    private int queued;
    private int running;
    private boolean closed;

    Lanes(String name, int width, Worker<W> worker) {
        this.worker = worker;
        this.width = width;
        AtomicInteger made = new AtomicInteger();
        // Unbounded here: this class starts a thread only while fewer than width items run.
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-" + made.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Adds an item to its key's lane: it is worked after the lane's earlier items. */
    synchronized void add(K key, W item) {
        queued++;
        Lane lane = lanes.get(key);
        if (lane != null) {
            lane.items.add(item);
            // A lane that neither runs nor waits (it is blocked) keeps it, not started.
            return;
        }
        lane = new Lane(key);
        lane.items.add(item);
        lanes.put(key, lane);
        if (running < width && !closed) {
            start(lane);
        } else {
            waiting.add(lane);
        }
    }

    /** Items added and not yet finished (running ones included). */
    synchronized int pending() {
        return queued;
    }

    /** Items being worked now. */
    synchronized int running() {
        return running;
    }

    /**
     * Drops the items not yet started of the lanes whose keys match, and those lanes once idle (a blocked one too); a
     * running item goes on.
     */
    synchronized void drop(Predicate<K> which) {
        lanes.values().removeIf(lane -> {
            if (!which.test(lane.key)) {
                return false;
            }
            int keep = lane.running ? 1 : 0;
            while (lane.items.size() > keep) {
                lane.items.pollLast();
                queued--;
            }
            lane.dropped = lane.running;
            return !lane.running;
        });
        waiting.removeIf(lane -> !lanes.containsKey(lane.key) || lanes.get(lane.key) != lane);
    }

    /** Waits until no lane whose key matches is working an item. */
    synchronized void awaitIdle(Predicate<K> which) throws InterruptedException {
        while (lanes.values().stream().anyMatch(l -> l.running && which.test(l.key))) {
            wait();
        }
    }

    /** Stops the threads; items not started are dropped. */
    void close() {
        synchronized (this) {
            closed = true;
        }
        threads.shutdownNow();
    }

    /** A lane's head item, taken up by a thread (read under the lock: the lane's queue grows meanwhile). */
    private final class Turn {
        final Lane lane;
        final W item;

        Turn(Lane lane) {
            this.lane = lane;
            this.item = lane.items.peekFirst();
        }
    }

    /** Called holding the lock, with a slot free. */
    private void start(Lane lane) {
        lane.running = true;
        running++;
        Turn first = new Turn(lane);
        threads.execute(() -> run(first));
    }

    /** One thread's turn: works a lane's head item, then the next waiting lane's, until none waits. */
    private void run(Turn first) {
        Turn turn = first;
        while (turn != null) {
            boolean goOn = false;
            try {
                goOn = worker.work(turn.item);
            } catch (Throwable t) {
                // The worker marks what it could not finish; this thread goes on with the next lane.
                LOG.error("a delivery lane's work failed unexpectedly; its user's events are read again", t);
            }
            turn = finished(turn.lane, goOn);
        }
    }

    /** The turn this thread takes next, or null when it is done (its slot freed). */
    private synchronized Turn finished(Lane lane, boolean goOn) {
        lane.running = false;
        lane.items.pollFirst();
        queued--;
        if (!goOn) {
            queued -= lane.items.size();
            lane.items.clear();
            lane.blocked = true;
        }
        if (lane.dropped || lane.items.isEmpty() && !lane.blocked) {
            queued -= lane.items.size();
            lane.items.clear();
            lanes.remove(lane.key, lane);
        } else if (!lane.blocked) {
            waiting.add(lane);
        }
        notifyAll();
        Lane next = closed ? null : waiting.poll();
        if (next == null) {
            running--;
            return null;
        }
        next.running = true;
        return new Turn(next);
    }
}
