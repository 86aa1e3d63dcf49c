package io.mphub.deliver;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Backoff waits that end at once when the hub stops, so a retry in progress never holds up shutdown. */
public final class Stopping {

    private final CountDownLatch stopped = new CountDownLatch(1);

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
    }
}
