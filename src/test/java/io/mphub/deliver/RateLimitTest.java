package io.mphub.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class RateLimitTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aBurstTakesTheRateAtOnceThenOneSecondLaterTheNext() {
        RateLimit limit = new RateLimit(5, 0);
        List<Long> turns = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            turns.add(limit.reserve(0) / MS);
        }
        assertThat(turns).containsExactly(0L, 0L, 0L, 0L, 0L, 1000L, 1000L, 1000L, 1000L, 1000L, 2000L, 2000L);
    }

    @Test
    void noSecondEverHoldsMoreTurnsThanTheRate() {
        RateLimit limit = new RateLimit(3, 0);
        List<Long> turns = new ArrayList<>();
        // Asked at uneven moments, some in bursts, some after quiet spells.
        long[] asked = {0, 10, 10, 10, 400, 900, 950, 2500, 2600, 2600, 2600, 2601, 4000};
        for (long at : asked) {
            turns.add(limit.reserve(at * MS));
        }
        for (int i = 0; i + 3 < turns.size(); i++) {
            assertThat(turns.get(i + 3) - turns.get(i)).isGreaterThanOrEqualTo(1000 * MS);
        }
        for (int i = 0; i < asked.length; i++) {
            assertThat(turns.get(i)).isGreaterThanOrEqualTo(asked[i] * MS);
        }
        // A turn is given as soon as the rate allows, never later.
        assertThat(turns.get(3) / MS).isEqualTo(1000);
        assertThat(turns.get(7) / MS).isEqualTo(2500);
    }

    @Test
    void aWaitingTurnIsHonouredOnTheClock() throws InterruptedException {
        RateLimit limit = new RateLimit(1);
        limit.acquire();
        long before = System.nanoTime();
        limit.acquire();
        assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(500 * MS);
    }
}
