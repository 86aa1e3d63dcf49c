package io.mphub.deliver;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * At most {@code n} starts in any window (a second, or longer for a rate below one a second), exactly, as Camel's
 * throttle in its TotalRequests mode: each start reserves the earliest moment at least one window after the n-th start
 * before it, and waits for it. Reservations are taken in turn, so waiting users go in the order they asked.
 * <p>
 * The rate can change while it runs ({@link #set}): a replica's share of a destination's rate follows the partitions
 * it owns. The starts already taken count against the new rate, so a change never lets a burst through.
 */
final class RateLimit {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private long[] starts;
    private long window;
    private int next;

    /** @param perSecond starts per second, above 0 (a rate of one a second or more is cut to whole starts) */
    RateLimit(double perSecond) {
        this(perSecond, System.nanoTime());
    }

    /** @param now a {@link System#nanoTime()} reading: no turn was taken in the window before it */
    RateLimit(double perSecond, long now) {
        this.starts = new long[0];
        set(perSecond, now);
    }

    /**
     * Takes the next turn.
     *
     * @param now a {@link System#nanoTime()} reading
     * @return when the turn comes, a {@link System#nanoTime()} reading: {@code now}, or one window after the n-th
     *         turn before it
     */
    synchronized long reserve(long now) {
        long earliest = starts[next] + window;
        long at = earliest - now > 0 ? earliest : now;
        starts[next] = at;
        next = (next + 1) % starts.length;
        return at;
    }

    /**
     * A new rate from now on: {@code perSecond} starts a second, whole (7.5 gives 7), or one start every
     * {@code 1 / perSecond} seconds below one a second. The latest turns already taken are kept.
     */
    synchronized void set(double perSecond, long now) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("a rate must be above 0: " + perSecond);
        }
        int n = perSecond >= 1 ? (int) perSecond : 1;
        long newWindow = perSecond >= 1 ? SECOND : (long) (SECOND / perSecond);
        long[] latest = new long[n];
        // The old limiter allowed at most starts.length turns in its window: any older turn is past the new one.
        Arrays.fill(latest, now - Math.max(newWindow, window));
        int kept = Math.min(n, starts.length);
        for (int i = 0; i < kept; i++) {
            // Oldest first: the slot taken next is the oldest turn the new array holds.
            latest[n - kept + i] = starts[Math.floorMod(next - kept + i, starts.length)];
        }
        starts = latest;
        window = newWindow;
        next = 0;
    }

    synchronized void set(double perSecond) {
        set(perSecond, System.nanoTime());
    }
}
