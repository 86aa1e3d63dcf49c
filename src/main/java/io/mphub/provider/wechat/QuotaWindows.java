package io.mphub.provider.wechat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * When WeChat's API quotas reset: the daily quota (errcode 45009) at midnight Beijing time, the minute quota
 * (45011) at the next minute. Reads the hub's clock, so a test can stand just before either.
 */
public final class QuotaWindows {

    /** WeChat counts daily quotas by the day in China. */
    static final ZoneId QUOTA_ZONE = ZoneId.of("Asia/Shanghai");

    private final Clock clock;

    public QuotaWindows(Clock clock) {
        this.clock = clock;
    }

    public Duration untilDailyReset() {
        Instant now = clock.instant();
        Instant midnight = now.atZone(QUOTA_ZONE).toLocalDate().plusDays(1).atStartOfDay(QUOTA_ZONE).toInstant();
        return Duration.between(now, midnight);
    }

    public Duration untilNextMinute() {
        Instant now = clock.instant();
        return Duration.between(now, now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES));
    }
}
