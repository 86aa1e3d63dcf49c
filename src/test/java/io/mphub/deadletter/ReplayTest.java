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
        assertThat(Replay.time("2026-11-29T08:00:00Z", NOW)).isEqualTo(Instant.parse("2026-11-29T08:00:00Z"));
        assertThat(Replay.time("2026-11-29T16:00+08:00", NOW)).isEqualTo(Instant.parse("2026-11-29T08:00:00Z"));
        assertThat(Replay.time("2026-11-28", NOW)).isEqualTo(Instant.parse("2026-11-28T00:00:00Z"));
        assertThat(Replay.time("90m", NOW)).isEqualTo(Instant.parse("2026-11-29T10:30:00Z"));
        assertThat(Replay.time("3d", NOW)).isEqualTo(Instant.parse("2026-11-26T12:00:00Z"));
        assertThatThrownBy(() -> Replay.time("yesterday", NOW)).hasMessageContaining("'yesterday' is not a time");
    }

    @Test
    void theSameRequestHasTheSameIdAndAnotherFilterAnother() {
        Replay.Request a = Replay.request("payment", List.of(), "http_4xx", "2026-11-29", null, false, NOW);
        Replay.Request again = Replay.request("payment", List.of(), "http_4xx", "2026-11-29T00:00Z", null, true, NOW);
        Replay.Request other = Replay.request("payment", List.of(), "retries_exhausted", "2026-11-29", null, false, NOW);
        assertThat(a.id()).isEqualTo(again.id()).startsWith("payment-").isNotEqualTo(other.id());
        assertThat(a.topic()).isEqualTo("mp.dlq.payment");
        assertThat(a.targets()).containsExactly("mp.out.payment");
        assertThat(a.filters()).isTrue();
        Replay.Request ingest = Replay.request(null, List.of("mp.events.login"), null, null, null, false, NOW);
        assertThat(ingest.topic()).isEqualTo("mp.dlq.ingest");
        assertThat(ingest.targets()).containsExactly("mp.events.login");
        assertThat(ingest.filters()).isFalse();
    }
}
