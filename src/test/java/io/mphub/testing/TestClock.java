package io.mphub.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * A clock a test moves: a base clock (fixed for unit tests, the system's for a running hub) plus an offset the test
 * sets, so a hub can stand a few seconds before midnight in Beijing without anyone waiting for it.
 */
public final class TestClock extends Clock {

    private final Clock base;
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    private TestClock(Clock base) {
        this.base = base;
    }

    public static TestClock fixed(Instant at) {
        return new TestClock(Clock.fixed(at, ZoneOffset.UTC));
    }

    /** Fixed at a Unix time in seconds, as signatures' timestamps are written. */
    public static TestClock atEpochSecond(long second) {
        return fixed(Instant.ofEpochSecond(second));
    }

    public static TestClock system() {
        return new TestClock(Clock.systemUTC());
    }

    public void advance(Duration by) {
        offset.accumulateAndGet(by, Duration::plus);
    }

    /** From now on, this clock reads {@code at} (and runs on from there if its base runs). */
    public void set(Instant at) {
        offset.set(Duration.between(base.instant(), at));
    }

    /** A Caffeine ticker on this clock's time, so cache expiry moves with it. */
    public Ticker ticker() {
        Instant origin = instant();
        return () -> Duration.between(origin, instant()).toNanos();
    }

    public Duration offset() {
        return offset.get();
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a TestClock stays in UTC");
    }
}
