package io.mphub.deliver;

import java.time.Duration;
import java.util.random.RandomGenerator;

import io.mphub.config.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one event or one batch goes through after an attempt that did not get through, the same for both: a retry
 * waits its backoff (or the receiver's {@code Retry-After}) until the attempts are spent; a destination that is down
 * pauses instead; a spent quota waits for its window or pauses for it; a refused account pauses until it is fixed.
 * Nothing here dead-letters: when the attempts are spent while the destination works for others, the caller decides.
 */
final class Setbacks {

    private static final Logger LOG = LoggerFactory.getLogger(Setbacks.class);

    private final Pauser pauser;
    private final Stopping stopping;
    private final RandomGenerator random;
    private final Duration maxRetryAfter;
    private final DeliveryMeters meters;

    Setbacks(Pauser pauser, Stopping stopping, RandomGenerator random, Duration maxRetryAfter, DeliveryMeters meters) {
        this.pauser = pauser;
        this.stopping = stopping;
        this.random = random;
        this.maxRetryAfter = maxRetryAfter;
        this.meters = meters;
    }

    /** @throws DestinationPausedException when the destination is paused: what was read waits for its resume */
    void unlessPaused(Destination d, String what) {
        if (pauser.isPaused(d.name())) {
            throw new DestinationPausedException(d.name() + " is paused; " + what + " waits");
        }
    }

    /**
     * The provider refuses the hub's own account: only an operator can end it, so it is said as an error. Counted as
     * the wait it is (dashboards read quota_wait).
     *
     * @param what "event <id>" or "batch of N events from <id>"
     */
    DestinationPausedException refused(Destination d, Outcome.Refused refused, String what, int events) {
        meters.count(d.name(), "quota_wait", refused.reason(), events);
        // Said once per pause: the other events in flight when it came are refused alike.
        if (pauser.pauseFor(d, refused.window(), refused.message())) {
            LOG.error("{} to {}: {}; the destination waits {}, then tries again (nothing is dead-lettered)", what,
                    d.name(), refused.message(), Durations.readable(refused.window()));
        } else {
            LOG.info("{} to {}: {}; it waits with the destination", what, d.name(), refused.message());
        }
        return new DestinationPausedException(d.name() + " paused (" + refused.reason() + "); " + what + " waits");
    }

    /**
     * The provider is up but its quota is spent: waits for its window, without spending an attempt; a window longer
     * than {@code mphub.delivery.max-retry-after-ms} pauses the destination instead.
     */
    void quota(Destination d, Outcome.Wait quota, String what, int events) {
        meters.count(d.name(), "quota_wait", quota.reason(), events);
        if (quota.window().compareTo(maxRetryAfter) > 0) {
            pauser.pauseFor(d, quota.window(), quota.message());
            throw new DestinationPausedException(d.name() + " paused (" + quota.message() + "); " + what + " waits");
        }
        LOG.info("{} to {}: {}; waiting {} ms", what, d.name(), quota.message(), quota.window().toMillis());
        pause(quota.window(), d, what);
    }

    /**
     * A failure worth another attempt: waits its backoff and says to try again, until {@code attempts} are spent. Then,
     * if nothing begun since {@code firstAttempt} got through (after a resume, since the resume), the endpoint is
     * down, not the event bad: the destination pauses and this throws. Otherwise this says the attempts are spent.
     *
     * @return true to try again, false when the attempts are spent while the destination works for others
     */
    boolean retry(Destination d, DestinationHealth health, Outcome.Retry retry, int attempt, int attempts,
            long firstAttempt, String recordRef, String what, int events) {
        meters.count(d.name(), "retry", retry.reason(), events);
        if (attempt >= attempts) {
            if (health.noSuccessSince(firstAttempt)) {
                String why = attempt + " attempts, last: " + retry.message();
                pauser.pause(d, recordRef, why);
                throw new DestinationPausedException(d.name() + " paused (" + why + "); " + what + " waits");
            }
            return false;
        }
        Duration wait = retry.retryAfter() != null
                ? min(retry.retryAfter(), maxRetryAfter)
                : d.retry().delayAfter(attempt, random);
        LOG.debug("{} to {}: attempt {} failed ({}), retrying in {} ms", what, d.name(), attempt, retry.message(),
                wait.toMillis());
        pause(wait, d, what);
        return true;
    }

    private void pause(Duration wait, Destination d, String what) {
        if (!stopping.await(wait)) {
            throw new DestinationPausedException("hub stopping; " + what + " to " + d.name() + " waits");
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
