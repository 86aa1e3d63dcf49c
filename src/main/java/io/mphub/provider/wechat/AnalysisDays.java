package io.mphub.provider.wechat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import io.mphub.provider.ChinaTime;

/**
 * Which days the analysis job pulls. WeChat's figures are T+1 and counted by the day in Beijing: the latest day it
 * serves is yesterday, Beijing time. A day is pulled once: after the last day pulled (the progress kept in Kafka) up to
 * yesterday, but no further back than the catch-up window (the last {@code catchUpDays} days up to yesterday); the
 * first run for an app and API pulls yesterday only.
 */
final class AnalysisDays {

    private AnalysisDays() {
    }

    /**
     * The days to pull, oldest first, and how many days were missed beyond the window (left, never pulled).
     */
    record Window(List<LocalDate> days, long beyond) {
    }

    /** The latest day WeChat serves at {@code now}: yesterday in Beijing. */
    static LocalDate latest(Instant now) {
        return ChinaTime.day(now).minusDays(1);
    }

    /**
     * @param last the last day pulled (or skipped for good), if any
     */
    static Window window(Optional<LocalDate> last, LocalDate latest, int catchUpDays) {
        LocalDate earliest = latest.minusDays(catchUpDays - 1L);
        LocalDate from = last.map(d -> d.plusDays(1)).orElse(latest);
        long beyond = 0;
        if (from.isBefore(earliest)) {
            beyond = earliest.toEpochDay() - from.toEpochDay();
            from = earliest;
        }
        if (from.isAfter(latest)) {
            return new Window(List.of(), 0);
        }
        return new Window(from.datesUntil(latest.plusDays(1)).toList(), beyond);
    }
}
