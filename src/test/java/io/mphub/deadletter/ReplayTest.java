package io.mphub.deadletter;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    void aTimeIsAnInstantADateTimeWithItsOffsetADateOrAWhileAgo() {
        assertThat(ReplayRequest.time("2026-11-29T08:00:00Z", NOW)).isEqualTo(Instant.parse("2026-11-29T08:00:00Z"));
        assertThat(ReplayRequest.time("2026-11-29T16:00+08:00", NOW)).isEqualTo(Instant.parse("2026-11-29T08:00:00Z"));
        assertThat(ReplayRequest.time("2026-11-28", NOW)).isEqualTo(Instant.parse("2026-11-28T00:00:00Z"));
        assertThat(ReplayRequest.time("90m", NOW)).isEqualTo(Instant.parse("2026-11-29T10:30:00Z"));
        assertThat(ReplayRequest.time("3d", NOW)).isEqualTo(Instant.parse("2026-11-26T12:00:00Z"));
        assertThatThrownBy(() -> ReplayRequest.time("yesterday", NOW)).hasMessageContaining("'yesterday' is not a time");
    }

    @Test
    void theSameFiltersAsWrittenNameTheSameRequestWhateverTheTimeAndAnotherFilterAnother() {
        ReplayRequest a = ReplayRequest.of("payment", List.of(), "http_4xx", "2h", null, false, NOW);
        ReplayRequest again = ReplayRequest.of("payment", List.of(), "http_4xx", " 2h ", null, true, NOW.plusSeconds(60));
        ReplayRequest other = ReplayRequest.of("payment", List.of(), "retries_exhausted", "2h", null, false, NOW);
        assertThat(a.id()).isEqualTo(again.id()).startsWith("payment-").isNotEqualTo(other.id());
        assertThat(a.topic()).isEqualTo("mp.dlq.payment");
        assertThat(a.targets()).containsExactly("mp.out.payment");
        assertThat(a.filters()).isTrue();
        ReplayRequest ingest = ReplayRequest.of(null, List.of("mp.events.login"), null, null, null, false, NOW);
        assertThat(ingest.topic()).isEqualTo("mp.dlq.ingest");
        assertThat(ingest.targets()).containsExactly("mp.events.login");
        assertThat(ingest.filters()).isFalse();
    }
}
