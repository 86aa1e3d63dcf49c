package io.mphub.deliver;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Per-destination counts and the time of the last success, which tells a dead endpoint from a bad record. */
public final class DestinationHealth {

    private final AtomicLong lastSuccessNanos = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();

    public void succeeded() {
        lastSuccessNanos.set(System.nanoTime());
        delivered.increment();
    }

    public void failed() {
        failedAttempts.increment();
    }

    /** True when nothing reached this destination since {@code nanos} (a {@link System#nanoTime()} reading). */
    public boolean noSuccessSince(long nanos) {
        long last = lastSuccessNanos.get();
        return last == Long.MIN_VALUE || last - nanos < 0;
    }

    public long delivered() {
        return delivered.sum();
    }

    public long failedAttempts() {
        return failedAttempts.sum();
    }
}
