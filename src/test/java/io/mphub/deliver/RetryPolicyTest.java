package io.mphub.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final int DRAWS = 2_000;

    private final SplittableRandom random = new SplittableRandom(20260101L);

    private static RetryPolicy policy(long initialMs, double multiplier, long maxMs) {
        return new RetryPolicy(6, Duration.ofMillis(initialMs), multiplier, Duration.ofMillis(maxMs));
    }

    @Test
    void delayStaysWithinTheExponentialCeilingCappedByMaxDelay() {
        RetryPolicy policy = policy(500, 2.0, 30_000);
        long[] ceilings = {500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000};

        for (int n = 1; n <= ceilings.length; n++) {
            long highest = 0;
            for (int i = 0; i < DRAWS; i++) {
                long ms = policy.delayAfter(n, random).toMillis();
                assertThat(ms).as("delay after %d failures", n).isBetween(0L, ceilings[n - 1]);
                highest = Math.max(highest, ms);
            }
            // full jitter: the draws spread over the whole range, up close to the ceiling
            assertThat(highest).as("highest delay after %d failures", n).isGreaterThan(ceilings[n - 1] * 9 / 10);
        }
    }

    @Test
    void delayReachesButNeverExceedsMaxDelay() {
        RetryPolicy policy = policy(1, 2.0, 8);
        Set<Long> seen = new HashSet<>();

        for (int n = 4; n <= 40; n++) {
            for (int i = 0; i < 200; i++) {
                seen.add(policy.delayAfter(n, random).toMillis());
            }
        }

        assertThat(seen).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }

    @Test
    void fractionalMultiplierGrowsTheCeiling() {
        RetryPolicy policy = policy(100, 1.5, 10_000);

        for (int i = 0; i < DRAWS; i++) {
            assertThat(policy.delayAfter(3, random).toMillis()).isBetween(0L, 225L);
        }
    }

    @Test
    void manyFailuresDoNotOverflowPastMaxDelay() {
        RetryPolicy policy = policy(500, 10.0, 30_000);

        for (int n : new int[] {100, 1_000, Integer.MAX_VALUE}) {
            for (int i = 0; i < 100; i++) {
                assertThat(policy.delayAfter(n, random).toMillis()).isBetween(0L, 30_000L);
            }
        }
    }

    @Test
    void noFailuresYetUsesTheInitialCeiling() {
        RetryPolicy policy = policy(50, 2.0, 1_000);

        for (int i = 0; i < DRAWS; i++) {
            assertThat(policy.delayAfter(0, random).toMillis()).isBetween(0L, 50L);
        }
    }

    @Test
    void zeroInitialDelayNeverWaits() {
        RetryPolicy policy = policy(0, 2.0, 0);

        assertThat(policy.delayAfter(5, random)).isEqualTo(Duration.ZERO);
    }

    @Test
    void sameSeedGivesSameDelays() {
        RetryPolicy policy = policy(500, 2.0, 30_000);
        SplittableRandom a = new SplittableRandom(1);
        SplittableRandom b = new SplittableRandom(1);

        for (int n = 1; n <= 10; n++) {
            assertThat(policy.delayAfter(n, a)).isEqualTo(policy.delayAfter(n, b));
        }
    }

    @Test
    void constructorRejectsInvalidPolicies() {
        Duration second = Duration.ofSeconds(1);
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(0, second, 2.0, second));
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(-1, second, 2.0, second));
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(3, second, 0.5, second));
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(3, second, Double.NaN, second));
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(3, Duration.ofMillis(-1), 2.0, second));
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(3, second, 2.0, Duration.ofMillis(999)));
    }

    @Test
    void constructorAcceptsBoundaryPolicies() {
        assertThatCode(() -> new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO)).doesNotThrowAnyException();
        assertThatCode(() -> new RetryPolicy(1, Duration.ofSeconds(1), 1.0, Duration.ofSeconds(1)))
                .doesNotThrowAnyException();
    }
}
