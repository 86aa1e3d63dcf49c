package io.mphub.provider.wechat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
        final Set<Thread> fetching = ConcurrentHashMap.newKeySet();
        volatile AccessToken current;
        volatile TokenException failWith;
        volatile CountDownLatch gate;
        final AtomicInteger issued = new AtomicInteger();

        @Override
        public AccessToken fetch(String appId, boolean force) throws TokenException, InterruptedException {
            calls.add(force);
            fetching.add(Thread.currentThread());
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

    /**
     * The one fetch answers only once every caller is inside {@code current()}: either fetching itself, or parked
     * waiting for the fetch under way. Were fetches not single-flight, the other callers would be fetching too (or
     * fetch again after waiting), and the token API would count more than one call.
     */
    @Test
    void concurrentCallersShareOneFetch() throws Exception {
        int n = 8;
        api.gate = new CountDownLatch(1);
        Set<Thread> callers = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            List<Future<AccessToken>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(threads.submit(() -> {
                    callers.add(Thread.currentThread());
                    return tokens.current(APP);
                }));
            }
            org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> callers.size() == n
                    && callers.stream().allMatch(t -> api.fetching.contains(t) || t.getState() == Thread.State.WAITING));
            assertThat(api.fetching).hasSize(1);
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

    /**
     * WeChat allows 20 forced refreshes a day, counted by the day in China. Starts at 23:40 in Beijing (15:40 UTC),
     * so a count by the UTC day would not reset at Beijing's midnight.
     */
    @Test
    void forcedRefreshesAreCappedAt20ABeijingDayThenNormalModeOnlyUntilMidnight() throws Exception {
        clock.set(Instant.parse("2026-03-01T15:40:00Z"));
        AccessToken token = tokens.current(APP);
        try (LogCapture logs = LogCapture.open()) {
            for (int i = 0; i < AccessTokens.MAX_FORCES_PER_DAY; i++) {
                clock.advance(AccessTokens.FORCE_INTERVAL);
                token = tokens.renew(APP, token); // WeChat refuses every token: each renewal forces a new one
            }
            assertThat(api.calls).filteredOn(force -> force).hasSize(20);

            for (int i = 0; i < 2; i++) {
                clock.advance(AccessTokens.FORCE_INTERVAL);
                AccessToken refused = token;
                TokenException e = catchThrowableOfType(TokenException.class, () -> tokens.renew(APP, refused));
                assertThat(e.failure()).isEqualTo(TokenException.Failure.STILL_INVALID);
                assertThat(e.reason()).isEqualTo("token_invalid");
                assertThat(e.retryAfter()).as("nothing to wait for but the backoff").isNull();
                assertThat(e.getMessage()).contains("20 forced refreshes are spent");
            }
            assertThat(api.calls).filteredOn(force -> force).hasSize(20);
            assertThat(api.calls.subList(api.calls.size() - 2, api.calls.size())).containsExactly(false, false);
            assertThat(logs.lines()).filteredOn(l -> l.startsWith("WARN") && l.contains("forced refreshes"))
                    .singleElement().satisfies(l -> assertThat(l).contains(APP).contains("midnight Beijing time"));
        }

        clock.set(Instant.parse("2026-03-01T16:00:00Z")); // midnight in Beijing, same UTC day
        assertThat(tokens.renew(APP, token)).isNotEqualTo(token);
        assertThat(api.calls).filteredOn(force -> force).hasSize(21);
        assertThat(metrics.counter("mphub.wechat.token.fetches", "app", APP, "mode", "force", "outcome", "ok").count())
                .isEqualTo(21);
    }

    @Test
    void jobCountsOnlyTokensWeChatActuallyRenewed() throws Exception {
        // A margin wider than WeChat's 5-minute window: the first calls inside it return the same token.
        AccessTokens wide = new AccessTokens(Set.of(APP), api, clock, Duration.ofMinutes(10), REJECTED_RETRY, metrics);
        AccessToken first = wide.current(APP);
        clock.advance(Duration.ofSeconds(7200).minus(Duration.ofMinutes(8)));
        assertThat(wide.refreshExpiring()).isZero();
        assertThat(api.calls).containsExactly(false, false);
        assertThat(wide.current(APP)).isEqualTo(first);

        clock.advance(Duration.ofMinutes(4)); // inside WeChat's window: a new token
        assertThat(wide.refreshExpiring()).isEqualTo(1);
        assertThat(wide.current(APP).value()).isEqualTo("TOKEN-2-SECRETLOOKING");
    }

    @Test
    void jobGoesOnWithTheOtherAppsWhenOneAppsTokenSourceThrows() throws Exception {
        String broken = "wx00000000000000a0"; // first in the job's order
        Set<String> crashing = ConcurrentHashMap.newKeySet();
        Map<String, AtomicInteger> issued = new ConcurrentHashMap<>();
        TokenSource source = (app, force) -> {
            if (crashing.contains(app)) {
                throw new IllegalStateException("a bug in the token source");
            }
            int n = issued.computeIfAbsent(app, a -> new AtomicInteger()).incrementAndGet();
            return new AccessToken(app + "-TOKEN-" + n, clock.instant().plusSeconds(7200));
        };
        AccessTokens two = new AccessTokens(Set.of(broken, APP), source, clock, MARGIN, REJECTED_RETRY, metrics);
        two.current(broken);
        two.current(APP);
        crashing.add(broken);
        clock.advance(Duration.ofSeconds(7200).minus(Duration.ofMinutes(1)));

        try (LogCapture logs = LogCapture.open()) {
            assertThat(two.refreshExpiring()).isEqualTo(1);
            assertThat(logs.lines()).filteredOn(l -> l.startsWith("ERROR")).singleElement()
                    .satisfies(l -> assertThat(l).contains(broken).contains("next run tries again"));
        }
        assertThat(two.current(APP).value()).isEqualTo(APP + "-TOKEN-2");

        crashing.clear(); // the next run renews it
        assertThat(two.refreshExpiring()).isEqualTo(1);
        assertThat(two.current(broken).value()).isEqualTo(broken + "-TOKEN-2");
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
