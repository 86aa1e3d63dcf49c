package io.mphub.config;

import java.time.Duration;

/** Durations as people read them in logs and messages: {@code 500 ms}, {@code 30 s}, {@code 2 min 5 s}, {@code 1 h 3 min}. */
public final class Durations {

    private Durations() {
    }

    public static String readable(Duration d) {
        if (d.isNegative()) {
            return "-" + readable(d.negated());
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            return d.toMillis() + " ms";
        }
        long seconds = d.toSeconds();
        if (seconds < 60) {
            long tenths = d.toMillis() % 1000 / 100;
            return seconds < 10 && tenths > 0 ? seconds + "." + tenths + " s" : seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        long minutes = seconds / 60;
        return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
    }
}
