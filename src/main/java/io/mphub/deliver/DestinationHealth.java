package io.mphub.deliver;

import java.util.concurrent.atomic.AtomicLong;

/**
 * When a destination last took an event: this tells a dead endpoint from a bad record.
 * <p>
 * A success counts from when its attempt <em>began</em>, not when its answer came: an attempt that began before an
 * outage and was answered after another record's first attempt began says nothing about the endpoint during that
 * record's attempts. So "something got through since this record's first attempt" means an attempt begun after it
 * succeeded, whichever consumer thread made it and however long its answer took.
 */
public final class DestinationHealth {

    private final AtomicLong lastSuccessfulStart = new AtomicLong(Long.MIN_VALUE);

    /** @param attemptStartedNanos when the successful attempt began, a {@link System#nanoTime()} reading */
    public void succeeded(long attemptStartedNanos) {
        lastSuccessfulStart.accumulateAndGet(attemptStartedNanos,
                (last, started) -> last == Long.MIN_VALUE || started - last > 0 ? started : last);
    }

    /** True when no attempt begun at or after {@code nanos} (a {@link System#nanoTime()} reading) succeeded. */
    public boolean noSuccessSince(long nanos) {
        long last = lastSuccessfulStart.get();
        return last == Long.MIN_VALUE || last - nanos < 0;
    }
}
