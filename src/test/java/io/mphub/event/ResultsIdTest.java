package io.mphub.event;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResultsIdTest {

    @Test
    void anIdWithinTheContractIsThePrefixAndWhatCausedIt() {
        assertThat(Results.id("cloudfn-", "e1")).isEqualTo("cloudfn-e1");
        String longest = "x".repeat(Results.MAX_ID - "cloudfn-".length());
        assertThat(Results.id("cloudfn-", longest)).isEqualTo("cloudfn-" + longest);
    }

    @Test
    void aLongerOneTakesTheNameBasedUuidOfWhatCausedItTheSameForARepeat() {
        String about = "y".repeat(Results.MAX_ID);
        String id = Results.id("qiyu-session_start-", about);

        assertThat(id).matches("qiyu-session_start-[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}")
                .hasSizeLessThanOrEqualTo(Results.MAX_ID).isEqualTo(Results.id("qiyu-session_start-", about));
        assertThat(Results.id("qiyu-session_start-", about + "z")).isNotEqualTo(id);
    }
}
