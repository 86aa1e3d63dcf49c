package io.mphub.provider;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Beijing time, in which Chinese providers count their days (WeChat's daily API quota, Tencent's daily key quota)
 * and in which users read times.
 */
public final class ChinaTime {

    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private ChinaTime() {
    }

    /** The day {@code now} falls on in Beijing. */
    public static LocalDate day(Instant now) {
        return now.atZone(ZONE).toLocalDate();
    }

    /** The next midnight in Beijing after {@code now}: when a provider's daily quota starts again. */
    public static Instant nextMidnight(Instant now) {
        return day(now).plusDays(1).atStartOfDay(ZONE).toInstant();
    }
}
