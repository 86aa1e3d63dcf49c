package io.mphub.deliver;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * At most {@code n} starts in any second, exactly, as Camel's throttle in its TotalRequests mode: each start reserves
 * the earliest moment at least one second after the n-th start before it, and waits for it. Reservations are taken in
 * turn, so waiting users go in the order they asked.
 */
final class RateLimit {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final long[] starts;
    private int next;

    /** @param perSecond starts per second (at least 1; a fraction is cut) */
    RateLimit(double perSecond) {
        this(perSecond, System.nanoTime());
    }

    /** @param now a {@link System#nanoTime()} reading: no turn was taken in the second before it */
    RateLimit(double perSecond, long now) {
        this.starts = new long[Math.max(1, (int) perSecond)];
        Arrays.fill(starts, now - SECOND);
    }

    /** Waits for this start's turn. */
    void acquire() throws InterruptedException {
        long at = reserve(System.nanoTime());
        for (long left = at - System.nanoTime(); left > 0; left = at - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /**
     * Takes the next turn.
     *
     * @param now a {@link System#nanoTime()} reading
     * @return when the turn comes, a {@link System#nanoTime()} reading: {@code now}, or one second after the n-th
     *         turn before it
     */
    synchronized long reserve(long now) {
        long earliest = starts[next] + SECOND;
        long at = earliest - now > 0 ? earliest : now;
        starts[next] = at;
        next = (next + 1) % starts.length;
        return at;
    }
}
