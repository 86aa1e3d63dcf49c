package io.mphub.deliver;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Backoff waits that end at once when the hub stops, so a retry in progress never holds up shutdown; and what is to
 * begin at once when it does (a delivery consumer leaving its group).
 */
public final class Stopping {

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Runnable> whenStopping = new CopyOnWriteArrayList<>();

    /** Runs {@code action} when the hub begins stopping (at once if it has); undone by {@link #forget}. */
    void whenStopping(Runnable action) {
        whenStopping.add(action);
        if (stopped.getCount() == 0) {
            action.run();
        }
    }

    void forget(Runnable action) {
        whenStopping.remove(action);
    }

    /** @return false when the hub began stopping during the wait */
    public boolean await(Duration wait) {
        try {
            return !stopped.await(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void stop() {
        stopped.countDown();
        whenStopping.forEach(Runnable::run);
    }
}
