package io.mphub.deliver;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Work in lanes, one lane per key: the items of one key are worked one at a time, in the order they were added; items
 * of different keys are worked at once, up to {@code width} at a time. A destination's lanes are its users (the
 * outbox record's key), so many users' events are in flight at once and never two of one user's.
 * <p>
 * A lane whose item fails stops: its queued items are dropped (their records are read again from Kafka). Threads are
 * made as work needs them, up to {@code width}, and end after a minute idle.
 *
 * @param <K> a lane's key
 * @param <W> an item of work
 */
final class Lanes<K, W> {

    /** Works one item; false stops its lane (its queued items are dropped). */
    @FunctionalInterface
    interface Worker<W> {
        boolean work(W item);
    }

    private final class Lane {
        final K key;
        final ArrayDeque<W> items = new ArrayDeque<>();
        boolean running;

        Lane(K key) {
            this.key = key;
        }
    }

    private final Worker<W> worker;
    private final ThreadPoolExecutor threads;
    /** Lanes with items, queued or running: a lane is here exactly while a task for it is queued or running. */
    private final Map<K, Lane> lanes = new HashMap<>();
    private int queued;
    private int running;
    private int peak;

    Lanes(String name, int width, Worker<W> worker) {
        this.worker = worker;
        AtomicInteger made = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(width, width, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + made.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        threads.allowCoreThreadTimeOut(true);
    }

    /** Adds an item to its key's lane: it is worked after the lane's earlier items. */
    synchronized void add(K key, W item) {
        Lane lane = lanes.get(key);
        queued++;
        if (lane != null) {
            lane.items.add(item);
            return;
        }
        lane = new Lane(key);
        lane.items.add(item);
        lanes.put(key, lane);
        Lane scheduled = lane;
        threads.execute(() -> run(scheduled));
    }

    /** Items added and not yet finished (running ones included). */
    synchronized int pending() {
        return queued;
    }

    /** Items being worked now. */
    synchronized int running() {
        return running;
    }

    /** The most items worked at once since the last call. */
    synchronized int takePeak() {
        int p = peak;
        peak = running;
        return p;
    }

    /** Drops the items not yet started of the lanes whose keys match; a running item goes on. */
    synchronized void drop(Predicate<K> which) {
        for (Lane lane : lanes.values()) {
            if (which.test(lane.key)) {
                int keep = lane.running ? 1 : 0;
                while (lane.items.size() > keep) {
                    lane.items.pollLast();
                    queued--;
                }
            }
        }
    }

    /** Waits until no lane whose key matches is working an item. */
    synchronized void awaitIdle(Predicate<K> which) throws InterruptedException {
        while (lanes.values().stream().anyMatch(l -> l.running && which.test(l.key))) {
            wait();
        }
    }

    /** Stops the threads; items not started are dropped. */
    void close() {
        threads.shutdownNow();
    }

    private void run(Lane lane) {
        W item;
        synchronized (this) {
            item = lane.items.peekFirst();
            if (item == null) { // dropped while it was queued
                lanes.remove(lane.key, lane);
                notifyAll();
                return;
            }
            lane.running = true;
            running++;
            peak = Math.max(peak, running);
        }
        boolean goOn = false;
        try {
            goOn = worker.work(item);
        } finally {
            synchronized (this) {
                lane.running = false;
                running--;
                lane.items.pollFirst();
                queued--;
                if (!goOn) {
                    queued -= lane.items.size();
                    lane.items.clear();
                }
                if (lane.items.isEmpty()) {
                    lanes.remove(lane.key, lane);
                } else if (!threads.isShutdown()) {
                    // To the back of the queue: a user with many events waits its turn behind the others.
                    threads.execute(() -> run(lane));
                }
                notifyAll();
            }
        }
    }
}
