package io.mphub.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DurationsTest {

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(Durations.readable(Duration.ofMillis(500))).isEqualTo("500 ms");
        assertThat(Durations.readable(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(Durations.readable(Duration.ofSeconds(30))).isEqualTo("30 s");
        assertThat(Durations.readable(Duration.ofSeconds(60))).isEqualTo("1 min");
        assertThat(Durations.readable(Duration.ofSeconds(125))).isEqualTo("2 min 5 s");
        assertThat(Durations.readable(Duration.ofMinutes(63))).isEqualTo("1 h 3 min");
        assertThat(Durations.readable(Duration.ofHours(25))).isEqualTo("25 h");
    }
}
