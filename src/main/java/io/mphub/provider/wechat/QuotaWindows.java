package io.mphub.provider.wechat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.mphub.provider.ChinaTime;

/**
 * When WeChat's API quotas reset: the daily quota (errcode 45009) at midnight Beijing time, the minute quota
 * (45011) at the next minute. Reads the hub's clock, so a test can stand just before either.
 */
public final class QuotaWindows {

    private final Clock clock;

    public QuotaWindows(Clock clock) {
        this.clock = clock;
    }

    public Duration untilDailyReset() {
        Instant now = clock.instant();
        return Duration.between(now, ChinaTime.nextMidnight(now));
    }

    public Duration untilNextMinute() {
        Instant now = clock.instant();
        return Duration.between(now, now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES));
    }
}
