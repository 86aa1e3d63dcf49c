package io.mphub.provider.wechat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mphub.testing.LogCapture;
import io.mphub.testing.TestClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The token cache's rules, on a test clock and a fake token API that records every call. */
class AccessTokensTest {

    private static final String APP = "wx00000000000000a1";
    private static final Duration MARGIN = Duration.ofMinutes(5);
    private static final Duration REJECTED_RETRY = Duration.ofMinutes(10);

    private final TestClock clock = TestClock.fixed(Instant.parse("2026-03-01T02:00:00Z"));
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final FakeTokenApi api = new FakeTokenApi();
    private final AccessTokens tokens = new AccessTokens(Set.of(APP), api, clock, MARGIN, REJECTED_RETRY, metrics);

    /** WeChat's stable_token as far as these rules care: a current token, renewed in normal mode near its end. */
    private final class FakeTokenApi implements TokenSource {
        final List<Boolean> calls = new CopyOnWriteArrayList<>();
        volatile AccessToken current;
        volatile TokenException failWith;
        volatile CountDownLatch gate;
        final AtomicInteger issued = new AtomicInteger();

        @Override
        public AccessToken fetch(String appId, boolean force) throws TokenException, InterruptedException {
            calls.add(force);
            if (gate != null) {
                gate.await(10, TimeUnit.SECONDS);
            }
            if (failWith != null) {
                throw failWith;
            }
            Instant now = clock.instant();
            // WeChat: normal mode returns the current token; in its last 5 minutes, or when forced, a new one.
            if (force || current == null || current.expiresWithin(now, Duration.ofMinutes(5))) {
                current = new AccessToken("TOKEN-" + issued.incrementAndGet() + "-SECRETLOOKING", now.plusSeconds(7200));
            }
            return current;
        }
    }

    @Test
    void firstCallFetchesAndLaterCallsUseTheCachedToken() throws Exception {
        AccessToken first = tokens.current(APP);
        clock.advance(Duration.ofMinutes(90));
        assertThat(tokens.current(APP)).isSameAs(first);
        assertThat(api.calls).containsExactly(false);
        assertThat(metrics.counter("mphub.wechat.token.fetches", "app", APP, "mode", "normal", "outcome", "ok").count())
                .isEqualTo(1);
    }

    @Test
    void concurrentCallersShareOneFetch() throws Exception {
        api.gate = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<AccessToken>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(threads.submit(() -> tokens.current(APP)));
            }
            // Every caller is inside current() before the one fetch may answer.
            org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> api.calls.size() == 1);
            api.gate.countDown();
            for (Future<AccessToken> f : results) {
                assertThat(f.get(10, TimeUnit.SECONDS).value()).isEqualTo("TOKEN-1-SECRETLOOKING");
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(api.calls).hasSize(1);
    }

    @Test
    void expiredTokenIsFetchedAgainOnUse() throws Exception {
        tokens.current(APP);
        clock.advance(Duration.ofSeconds(7200));
        assertThat(tokens.current(APP).value()).isEqualTo("TOKEN-2-SECRETLOOKING");
        assertThat(api.calls).containsExactly(false, false);
    }

    @Test
    void jobRenewsOnlyTokensWithinTheMarginAndTheNewTokenIsUsedAtOnce() throws Exception {
        AccessToken first = tokens.current(APP);
        clock.advance(Duration.ofSeconds(7200).minus(MARGIN).minusSeconds(1));
        assertThat(tokens.refreshExpiring()).isZero();
        assertThat(api.calls).hasSize(1);

        clock.advance(Duration.ofSeconds(2)); // now inside the margin, still before expiry
        assertThat(tokens.refreshExpiring()).isEqualTo(1);
        AccessToken renewed = tokens.current(APP);
        assertThat(renewed.value()).isEqualTo("TOKEN-2-SECRETLOOKING");
        assertThat(renewed.expiresAt()).isAfter(first.expiresAt());
        assertThat(api.calls).containsExactly(false, false);
        assertThat(tokens.refreshExpiring()).isZero();
    }

    @Test
    void jobLeavesAppsWithoutATokenAlone() {
        assertThat(tokens.refreshExpiring()).isZero();
        assertThat(api.calls).isEmpty();
    }

    @Test
    void refusedTokenIsReplacedByTheOneAnotherCallerAlreadyRenewed() throws Exception {
        AccessToken old = tokens.current(APP);
        AccessToken fresh = tokens.renew(APP, old);
        api.calls.clear();

        // A second delivery thread that was still using the old token: it gets the renewed one, no call.
        assertThat(tokens.renew(APP, old)).isSameAs(fresh);
        assertThat(api.calls).isEmpty();
    }

    @Test
    void refusedTokenRotatedElsewhereIsPickedUpInNormalModeWithoutForcing() throws Exception {
        AccessToken old = tokens.current(APP);
        // Another replica forced a refresh: WeChat's current token is a new one.
        api.current = new AccessToken("ROTATED-ELSEWHERE", clock.instant().plusSeconds(7200));

        assertThat(tokens.renew(APP, old).value()).isEqualTo("ROTATED-ELSEWHERE");
        assertThat(api.calls).containsExactly(false, false);
    }

    @Test
    void refusedTokenThatWeChatStillHandsOutIsForcedAtMostOnceIn30Seconds() throws Exception {
        AccessToken old = tokens.current(APP);

        AccessToken forced = tokens.renew(APP, old);
        assertThat(forced.value()).isEqualTo("TOKEN-2-SECRETLOOKING");
        assertThat(api.calls).containsExactly(false, false, true);

        // The new token is refused too, 10 s later: normal mode hands it out again, and forcing must wait.
        clock.advance(Duration.ofSeconds(10));
        TokenException e = catchThrowableOfType(TokenException.class, () -> tokens.renew(APP, forced));
        assertThat(e.failure()).isEqualTo(TokenException.Failure.STILL_INVALID);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(20));
        assertThat(api.calls).containsExactly(false, false, true, false);

        clock.advance(Duration.ofSeconds(20));
        assertThat(tokens.renew(APP, forced).value()).isEqualTo("TOKEN-3-SECRETLOOKING");
        assertThat(api.calls).containsExactly(false, false, true, false, false, true);
    }

    @Test
    void refusedCredentialsCostOneCallPerWindowAndAreToldToEveryCaller() throws Exception {
        api.failWith = StableTokenClient.refused(APP, 40125, "invalid appsecret");
        try (LogCapture logs = LogCapture.open()) {
            TokenException first = catchThrowableOfType(TokenException.class, () -> tokens.current(APP));
            assertThat(first.failure()).isEqualTo(TokenException.Failure.REJECTED);
            assertThat(first.reason()).isEqualTo("token_errcode_40125");
            assertThat(first.retryAfter()).isEqualTo(REJECTED_RETRY);
            assertThat(first.getMessage()).contains("40125").contains("MPHUB_WECHAT_APPS_WX00000000000000A1_SECRET");

            clock.advance(Duration.ofMinutes(4));
            TokenException again = catchThrowableOfType(TokenException.class, () -> tokens.current(APP));
            assertThat(again.reason()).isEqualTo("token_errcode_40125");
            assertThat(again.retryAfter()).isEqualTo(Duration.ofMinutes(6));
            assertThat(api.calls).hasSize(1);
            assertThat(logs.lines()).filteredOn(l -> l.startsWith("ERROR")).hasSize(1)
                    .allSatisfy(l -> assertThat(l).contains("40125").contains(APP));
        }

        clock.advance(Duration.ofMinutes(6));
        api.failWith = null; // the operator fixed the secret
        assertThat(tokens.current(APP).value()).isEqualTo("TOKEN-1-SECRETLOOKING");
        assertThat(api.calls).hasSize(2);
        assertThat(metrics.counter("mphub.wechat.token.fetches", "app", APP, "mode", "normal",
                "outcome", "token_errcode_40125").count()).isEqualTo(1);
    }

    @Test
    void transientFailureIsNotRememberedAndTheNextCallerTriesAgain() throws Exception {
        api.failWith = StableTokenClient.refused(APP, -1, "system error");
        TokenException e = catchThrowableOfType(TokenException.class, () -> tokens.current(APP));
        assertThat(e.failure()).isEqualTo(TokenException.Failure.UNAVAILABLE);
        api.failWith = null;
        assertThat(tokens.current(APP)).isNotNull();
        assertThat(api.calls).hasSize(2);
    }

    @Test
    void unknownAppIsRefusedWithoutACall() {
        TokenException e = catchThrowableOfType(TokenException.class, () -> tokens.current("wx00000000000000ff"));
        assertThat(e.reason()).isEqualTo("unknown_app");
        assertThat(api.calls).isEmpty();
    }

    @Test
    void tokensNeverShowInLogsOrToString() throws Exception {
        try (LogCapture logs = LogCapture.open()) {
            AccessToken token = tokens.current(APP);
            clock.advance(Duration.ofSeconds(7100));
            tokens.refreshExpiring();
            AccessToken renewed = tokens.renew(APP, tokens.current(APP));
            assertThat(token.toString()).doesNotContain(token.value());
            assertThat(logs.lines()).isNotEmpty();
            assertThat(logs.text()).doesNotContain("SECRETLOOKING").doesNotContain(renewed.value());
        }
    }
}
