package io.mphub.bench;

import java.util.Arrays;

/**
 * Latencies in microseconds, kept whole and sorted at the end: exact percentiles (nearest rank) for the few
 * hundred thousand values a run records, and no extra dependency.
 */
final class Latencies {

    private long[] values = new long[1 << 16];
    private int size;

    synchronized void record(long micros) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = micros;
    }

    /** The sorted values recorded so far. */
    synchronized Summary summary() {
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return new Summary(sorted);
    }

    record Summary(long[] sorted) {

        int count() {
            return sorted.length;
        }

        /** Nearest-rank percentile in milliseconds; NaN when nothing was recorded. */
        double percentileMillis(double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1000.0;
        }

        double maxMillis() {
            return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1000.0;
        }
    }
}
