package io.mphub.provider.wechat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnalysisDaysTest {

    private static final LocalDate MAR_1 = LocalDate.of(2026, 3, 1);

    @Test
    void latestDayIsYesterdayInBeijingNotInUtc() {
        // 2026-03-01 23:59:59 in Beijing is 15:59:59 UTC: still March 1st there, so February 28th is the latest.
        assertThat(AnalysisDays.latest(Instant.parse("2026-03-01T15:59:59Z"))).isEqualTo(LocalDate.of(2026, 2, 28));
        // One second later it is March 2nd in Beijing though still March 1st in UTC.
        assertThat(AnalysisDays.latest(Instant.parse("2026-03-01T16:00:00Z"))).isEqualTo(MAR_1);
        // 07:59 UTC on March 2nd is 15:59 in Beijing: March 1st is served.
        assertThat(AnalysisDays.latest(Instant.parse("2026-03-02T07:59:00Z"))).isEqualTo(MAR_1);
    }

    @Test
    void aFirstRunPullsYesterdayOnly() {
        AnalysisDays.Window w = AnalysisDays.window(Optional.empty(), MAR_1, 7);
        assertThat(w.days()).containsExactly(MAR_1);
        assertThat(w.beyond()).isZero();
    }

    @Test
    void aDayAlreadyPulledIsNotPulledAgain() {
        assertThat(AnalysisDays.window(Optional.of(MAR_1), MAR_1, 7).days()).isEmpty();
        // A replica whose clock is behind (or a run just after midnight) never goes backwards.
        assertThat(AnalysisDays.window(Optional.of(MAR_1.plusDays(1)), MAR_1, 7).days()).isEmpty();
    }

    @Test
    void missedDaysWithinTheWindowAreCaughtUpOldestFirst() {
        AnalysisDays.Window w = AnalysisDays.window(Optional.of(MAR_1.minusDays(3)), MAR_1, 7);
        assertThat(w.days()).containsExactly(MAR_1.minusDays(2), MAR_1.minusDays(1), MAR_1);
        assertThat(w.beyond()).isZero();
    }

    @Test
    void daysMissedBeyondTheWindowAreCountedAndLeft() {
        // Last pulled February 18th, latest March 1st: 11 days missed, the last 7 pulled (Feb 23 – Mar 1), 4 left.
        AnalysisDays.Window w = AnalysisDays.window(Optional.of(LocalDate.of(2026, 2, 18)), MAR_1, 7);
        assertThat(w.days()).hasSize(7).startsWith(LocalDate.of(2026, 2, 23)).endsWith(MAR_1);
        assertThat(w.beyond()).isEqualTo(4);
        // The window exactly covers what was missed: nothing beyond.
        assertThat(AnalysisDays.window(Optional.of(LocalDate.of(2026, 2, 22)), MAR_1, 7).beyond()).isZero();
    }

    @Test
    void aWindowOfOneDayPullsYesterdayOnly() {
        AnalysisDays.Window w = AnalysisDays.window(Optional.of(MAR_1.minusDays(30)), MAR_1, 1);
        assertThat(w.days()).isEqualTo(List.of(MAR_1));
        assertThat(w.beyond()).isEqualTo(29);
    }

    @Test
    void idsAndProgressKeysAreDerivedFromAppApiAndDay() {
        assertThat(AnalysisApi.DAILY_SUMMARY.eventId("wx1234567890abcdef", MAR_1))
                .isEqualTo("wxanalysis-wx1234567890abcdef-daily_summary-20260301");
        assertThat(AnalysisApi.USER_PORTRAIT.eventType()).isEqualTo("mp.analysis.user_portrait");
        assertThat(AnalysisApi.VISIT_PAGE.path()).isEqualTo("/datacube/getweanalysisappidvisitpage");
        assertThat(AnalysisApi.DAILY_RETENTION.progressKey("wx1234567890abcdef"))
                .isEqualTo("datacube/wx1234567890abcdef/daily_retention");
    }
}
