package io.mphub.deliver;

import java.util.concurrent.atomic.AtomicLong;

/** When a destination last took an event: this tells a dead endpoint from a bad record. */
public final class DestinationHealth {

    private final AtomicLong lastSuccessNanos = new AtomicLong(Long.MIN_VALUE);

    public void succeeded() {
        lastSuccessNanos.set(System.nanoTime());
    }

    /** True when nothing reached this destination since {@code nanos} (a {@link System#nanoTime()} reading). */
    public boolean noSuccessSince(long nanos) {
        long last = lastSuccessNanos.get();
        return last == Long.MIN_VALUE || last - nanos < 0;
    }
}
