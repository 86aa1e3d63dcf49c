package io.mphub.provider.wechat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.provider.ChinaTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One access token per mini program, shared by every destination and delivery thread of this hub: fetched once,
 * kept until it expires, renewed ahead of expiry by the token job ({@code routes/jobs.camel.yaml} calls
 * {@link #refreshExpiring()}). Fetches are single-flight per app: callers arriving while one is under way wait for
 * it and take its token, so a burst of messages costs one call.
 * <p>
 * A plain map of small per-app states rather than a Caffeine cache: what to fetch depends on which token failed
 * and on when the last forced refresh was, which a cache loader cannot see.
 * <p>
 * A refusal of the app's credentials (bad AppSecret, IP not allowed) is remembered for {@code rejectedRetry}: no
 * call is made for that app meanwhile, and every caller is told the same refusal, so a wrong secret costs one call
 * per window, logged as an error each time, never a call per message.
 */
public final class AccessTokens {

    private static final Logger LOG = LoggerFactory.getLogger(AccessTokens.class);
    /** WeChat: consecutive force_refresh calls at least 30 s apart, or they do not refresh. */
    static final Duration FORCE_INTERVAL = Duration.ofSeconds(30);
    /** WeChat: at most 20 force_refresh calls a day per app, counted by the day in China. */
    static final int MAX_FORCES_PER_DAY = 20;

    private final Map<String, App> apps = new TreeMap<>();
    private final TokenSource source;
    private final Clock clock;
    private final Duration refreshMargin;
    private final Duration rejectedRetry;
    private final MeterRegistry metrics;

    public AccessTokens(Set<String> appIds, TokenSource source, Clock clock, Duration refreshMargin,
            Duration rejectedRetry, MeterRegistry metrics) {
        appIds.forEach(id -> apps.put(id, new App(id)));
        this.source = source;
        this.clock = clock;
        this.refreshMargin = refreshMargin;
        this.rejectedRetry = rejectedRetry;
        this.metrics = metrics;
        appIds.forEach(id -> fetches(id, "normal", "ok"));
    }

    public boolean knows(String appId) {
        return apps.containsKey(appId);
    }

    /** The app's current token, fetched (once, whoever asks meanwhile) when there is none or it has expired. */
    public AccessToken current(String appId) throws TokenException, InterruptedException {
        App app = app(appId);
        AccessToken token = app.token;
        if (token != null && !token.expiredAt(clock.instant())) {
            return token;
        }
        app.lock.lockInterruptibly();
        try {
            token = app.token;
            if (token != null && !token.expiredAt(clock.instant())) {
                return token; // fetched by the caller we waited for
            }
            return fetch(app, false);
        } finally {
            app.lock.unlock();
        }
    }

    /**
     * A token to use instead of {@code failed}, which WeChat just refused (40001, 40014, 42001). If another caller
     * has renewed it meanwhile, that token. Otherwise WeChat's current token in normal mode: when another replica
     * or the admin console forced a refresh, that is the new one, and forcing again would only invalidate theirs.
     * Only when WeChat still hands out the refused token is a refresh forced, at most once per 30 s and 20 times a
     * day (Beijing time) per app, as WeChat allows; once the day's 20 are spent, only normal mode until midnight.
     *
     * @throws TokenException {@code STILL_INVALID} with the wait until a forced refresh is allowed again, or none
     *                        (the backoff) when the day's forced refreshes are spent
     */
    public AccessToken renew(String appId, AccessToken failed) throws TokenException, InterruptedException {
        App app = app(appId);
        app.lock.lockInterruptibly();
        try {
            AccessToken token = app.token;
            if (token != null && !token.sameValue(failed) && !token.expiredAt(clock.instant())) {
                return token;
            }
            AccessToken current = fetch(app, false);
            if (!current.sameValue(failed)) {
                return current;
            }
            Instant now = clock.instant();
            if (app.lastForce != null && now.isBefore(app.lastForce.plus(FORCE_INTERVAL))) {
                throw new TokenException(TokenException.Failure.STILL_INVALID, "token_invalid", "WeChat refuses the"
                        + " access token of app " + appId + " and a forced refresh was made less than 30 s ago",
                        Duration.between(now, app.lastForce.plus(FORCE_INTERVAL)));
            }
            LocalDate day = ChinaTime.day(now);
            if (app.forcesOn(day) >= MAX_FORCES_PER_DAY) {
                if (!day.equals(app.capLoggedOn)) {
                    app.capLoggedOn = day;
                    LOG.warn("WeChat refuses the access token of app {} and the {} forced refreshes it allows a day are"
                            + " spent (Beijing time): normal mode only until midnight Beijing time", appId,
                            MAX_FORCES_PER_DAY);
                }
                throw new TokenException(TokenException.Failure.STILL_INVALID, "token_invalid", "WeChat refuses the"
                        + " access token of app " + appId + " and today's " + MAX_FORCES_PER_DAY + " forced refreshes"
                        + " are spent", null);
            }
            app.forced(day, now);
            return fetch(app, true);
        } finally {
            app.lock.unlock();
        }
    }

    /**
     * Renews every token that expires within the refresh margin; called by the token job. An app whose fetch is
     * already under way is left to it; a failure, even an unexpected one, is logged (and counted when WeChat
     * answered) and the other apps still renewed; the next run tries again.
     *
     * @return how many tokens were renewed: WeChat answered a new one, not the same one again
     */
    public int refreshExpiring() {
        int renewed = 0;
        for (App app : apps.values()) {
            AccessToken token = app.token;
            if (token == null || !token.expiresWithin(clock.instant(), refreshMargin) || !app.lock.tryLock()) {
                continue;
            }
            try {
                token = app.token;
                if (token != null && token.expiresWithin(clock.instant(), refreshMargin)
                        && !fetch(app, false).sameValue(token)) {
                    renewed++;
                }
            } catch (TokenException e) {
                // logged and counted by fetch
            } catch (RuntimeException e) {
                // A bug, not WeChat's answer: one app's must not keep the others' tokens from being renewed.
                LOG.error("token job: renewing the access token of app {} failed; the next run tries again", app.id, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                app.lock.unlock();
            }
        }
        return renewed;
    }

    /** Called with the app's lock held. */
    private AccessToken fetch(App app, boolean force) throws TokenException, InterruptedException {
        Instant now = clock.instant();
        if (app.rejected != null && now.isBefore(app.rejectedUntil)) {
            throw app.rejected.after(Duration.between(now, app.rejectedUntil));
        }
        String mode = force ? "force" : "normal";
        try {
            AccessToken token = source.fetch(app.id, force);
            app.rejected = null;
            count(app.id, mode, "ok");
            if (!token.sameValue(app.token)) {
                LOG.info("access token of app {} {} ({} mode), valid until {}", app.id,
                        app.token == null ? "fetched" : "renewed", mode, token.expiresAt());
            }
            app.token = token;
            return token;
        } catch (TokenException e) {
            count(app.id, mode, e.reason());
            if (e.failure() == TokenException.Failure.REJECTED) {
                app.rejected = e;
                app.rejectedUntil = now.plus(rejectedRetry);
                LOG.error("{}; no new try for this app before {}", e.getMessage(), app.rejectedUntil);
                throw e.after(rejectedRetry);
            }
            LOG.warn("{}", e.getMessage());
            throw e;
        }
    }

    private void count(String appId, String mode, String outcome) {
        fetches(appId, mode, outcome).increment();
    }

    private Counter fetches(String appId, String mode, String outcome) {
        return Counter.builder("mphub.wechat.token.fetches")
                .description("stable_token calls by app, mode (normal, force) and outcome (ok, or WeChat's refusal)")
                .tags("app", appId, "mode", mode, "outcome", outcome).register(metrics);
    }

    private App app(String appId) throws TokenException {
        App app = apps.get(appId);
        if (app == null) {
            throw new TokenException(TokenException.Failure.REJECTED, "unknown_app", "app " + appId + " is not in "
                    + WeChatSettings.APP_IDS.key(), null);
        }
        return app;
    }

    /** One app's token and refresh state; the fields other than {@code token} are guarded by {@code lock}. */
    private static final class App {
        final String id;
        final ReentrantLock lock = new ReentrantLock();
        volatile AccessToken token;
        Instant lastForce;
        /** The day in China of the forced refreshes counted in {@code forcesThatDay}. */
        LocalDate forceDay;
        int forcesThatDay;
        LocalDate capLoggedOn;
        TokenException rejected;
        Instant rejectedUntil;

        App(String id) {
            this.id = id;
        }

        int forcesOn(LocalDate day) {
            return day.equals(forceDay) ? forcesThatDay : 0;
        }

        void forced(LocalDate day, Instant at) {
            forcesThatDay = forcesOn(day) + 1;
            forceDay = day;
            lastForce = at;
        }
    }
}
