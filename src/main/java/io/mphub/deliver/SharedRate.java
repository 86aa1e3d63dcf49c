package io.mphub.deliver;

import java.time.Duration;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A destination's rate, which is the whole group's, as one replica keeps it: the share of the partitions of the
 * destination's outbox topic it owns (a partition carries about as many events as another, all being keyed by user),
 * recomputed on every rebalance. A replica that owns every partition takes the whole rate; one that owns none sends
 * nothing.
 */
final class SharedRate {

    private static final Logger LOG = LoggerFactory.getLogger(SharedRate.class);

    private final String destination;
    private final double rate;
    private final RateLimit limit;
    /** This replica's share now; the whole rate until it knows what it owns. */
    private double share;

    SharedRate(String destination, double rate) {
        this.destination = destination;
        this.rate = rate;
        this.limit = new RateLimit(rate);
        this.share = rate;
    }

    /** The destination's rate, or null when it has none. */
    static SharedRate of(Destination d) {
        return d.rate() > 0 ? new SharedRate(d.name(), d.rate()) : null;
    }

    /** Waits for the next request's turn, unless the hub begins stopping meanwhile: then false at once. */
    boolean acquire(Stopping stopping) {
        long wait = limit.reserve(System.nanoTime()) - System.nanoTime();
        return wait <= 0 || stopping.await(Duration.ofNanos(wait));
    }

    /** This replica owns {@code owned} of the outbox topic's {@code total} partitions now. */
    synchronized void owned(int owned, int total) {
        if (owned == 0 || total == 0) {
            return; // nothing to send; the next assignment sets it
        }
        double now = share(rate, owned, total);
        if (now == share) {
            return; // a cooperative rebalance that moved none of this replica's partitions
        }
        share = now;
        limit.set(now);
        LOG.info("delivery to {}: this replica sends at most {}/s, its share of the rate {}/s ({} of {} partitions)",
                destination, perSecond(now), perSecond(rate), owned, total);
    }

    /** A replica's share of the group's {@code rate}: as many parts of it as it owns partitions of {@code total}. */
    static double share(double rate, int owned, int total) {
        return rate * Math.min(owned, total) / total;
    }

    /** A rate as the limiter takes it: whole above one a second, else to two decimals. */
    private static String perSecond(double rate) {
        return rate >= 1 ? String.valueOf((long) rate) : String.format(Locale.ROOT, "%.2f", rate);
    }
}
