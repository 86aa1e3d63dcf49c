package io.mphub.ops;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * Rates over the last minute, from counts read at each health check: what the console shows as "per second". A rate
 * is this replica's own, like the counts it comes from.
 */
final class Rates implements Runnable {

    static final Duration WINDOW = Duration.ofMinutes(1);

    private record Sample(long atMillis, double count) {
    }

    private final Clock clock;
    private final Map<String, DoubleSupplier> counts = new ConcurrentHashMap<>();
    private final Map<String, Deque<Sample>> samples = new ConcurrentHashMap<>();

    Rates(Clock clock) {
        this.clock = clock;
    }

    void track(String name, DoubleSupplier count) {
        samples.put(name, new ArrayDeque<>()); // first: run() reads counts, then the samples of each
        counts.put(name, count);
    }

    void untrack(String name) {
        counts.remove(name);
        samples.remove(name);
    }

    /** Reads every count; scheduled at each health check. */
    @Override
    public void run() {
        long now = clock.millis();
        counts.forEach((name, count) -> {
            Deque<Sample> s = samples.get(name);
            if (s == null) {
                return; // untracked meanwhile
            }
            synchronized (s) {
                s.addLast(new Sample(now, count.getAsDouble()));
                // Keep one sample at or beyond the window's start, so the rate spans the whole minute.
                while (s.size() > 2 && now - second(s).atMillis() >= WINDOW.toMillis()) {
                    s.removeFirst();
                }
            }
        });
    }

    private static Sample second(Deque<Sample> s) {
        Iterator<Sample> it = s.iterator();
        it.next();
        return it.next();
    }

    /** Per second over the last minute (or since the first reading, when that is later); 0 before two readings. */
    double perSecond(String name) {
        Deque<Sample> s = samples.get(name);
        if (s == null) {
            return 0;
        }
        synchronized (s) {
            if (s.size() < 2 || s.getLast().atMillis() == s.getFirst().atMillis()) {
                return 0;
            }
            return (s.getLast().count() - s.getFirst().count()) * 1000.0
                    / (s.getLast().atMillis() - s.getFirst().atMillis());
        }
    }
}
