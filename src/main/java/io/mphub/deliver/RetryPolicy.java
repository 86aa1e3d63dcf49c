package io.mphub.deliver;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter and a bound: before attempt n+1 wait a random time in
 * [0, min(maxDelay, initialDelay * multiplier^(n-1))]. Full jitter spreads the retries of many replicas
 * (AWS Architecture Blog, "Exponential Backoff And Jitter").
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay) {

    public RetryPolicy {
        // !(x >= 1) rather than x < 1: a NaN multiplier would otherwise pass and make every delay zero.
        if (maxAttempts < 1 || !(multiplier >= 1) || initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("invalid retry policy");
        }
    }

    /** The wait before the attempt after {@code failedAttempts} failures. */
    public Duration delayAfter(int failedAttempts, RandomGenerator random) {
        double ceiling = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
        long bound = (long) Math.min(maxDelay.toMillis(), ceiling);
        return Duration.ofMillis(bound <= 0 ? 0 : random.nextLong(bound + 1));
    }
}
