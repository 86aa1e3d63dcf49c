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
    void aLowerRateCountsTheTurnsAlreadyTaken() {
        RateLimit limit = new RateLimit(10, 0);
        for (int i = 0; i < 10; i++) {
            assertThat(limit.reserve(0)).isZero();
        }
        limit.set(5, 0);
        // Ten were taken at 0: the new rate's five a second allow the next only a second later.
        assertThat(limit.reserve(0) / MS).isEqualTo(1000);
    }

    @Test
    void aHigherRateAllowsWhatTheTurnsAlreadyTakenLeave() {
        RateLimit limit = new RateLimit(2, 0);
        limit.reserve(0);
        limit.reserve(0);
        limit.set(4, 0);
        assertThat(List.of(limit.reserve(0), limit.reserve(0), limit.reserve(0))).containsExactly(0L, 0L, 1000 * MS);
    }

    @Test
    void belowOneASecondOneTurnEveryFewSeconds() {
        RateLimit limit = new RateLimit(0.5, 0);
        assertThat(List.of(limit.reserve(0) / MS, limit.reserve(0) / MS, limit.reserve(0) / MS))
                .containsExactly(0L, 2000L, 4000L);
    }

    @Test
    void aReplicaTakesTheShareOfThePartitionsItOwns() {
        assertThat(SharedRate.share(20, 4, 8)).isEqualTo(10);
        assertThat(SharedRate.share(20, 8, 8)).isEqualTo(20);
        assertThat(SharedRate.share(20, 3, 8) + SharedRate.share(20, 5, 8)).isEqualTo(20);
        assertThat(SharedRate.share(1, 1, 8)).isEqualTo(0.125);
    }

    @Test
    void aWaitingTurnIsHonouredOnTheClockUnlessTheHubStops() {
        SharedRate rate = new SharedRate("payment", 1);
        Stopping stopping = new Stopping();
        assertThat(rate.acquire(stopping)).isTrue();
        long before = System.nanoTime();
        assertThat(rate.acquire(stopping)).isTrue();
        assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(500 * MS);

        stopping.stop();
        before = System.nanoTime();
        assertThat(rate.acquire(stopping)).as("a turn a second away, and the hub stopping").isFalse();
        assertThat(System.nanoTime() - before).isLessThan(500 * MS);
    }
}
