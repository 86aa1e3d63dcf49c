package io.mphub.enrich;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a call to the geocoding provider may go out now, so that a provider that is down, slow, refusing the
 * key or over quota does not cost the timeout (or a useless call) on every event.
 *
 * <p>A resilience4j circuit breaker over the last {@value #WINDOW} calls: once at least {@value #MINIMUM_CALLS}
 * calls were made and half of them failed (timeout, unreachable, error answer, refused key), calls stop for the
 * pause; then one call probes the provider, and its success resumes the calls. A quota answer stops the calls at
 * once until the provider's window ends (the next second, the next day). Events arriving while calls are stopped
 * are marked with the reason the calls stopped.
 */
public final class GeocoderGate {

    static final int WINDOW = 10;
    /** Failed calls in a row that stop the calls, when nothing else was called before. */
    public static final int MINIMUM_CALLS = 3;
    /** A per-second quota is hit often on a busy hub: say so at most this often (the metric counts each). */
    private static final Duration QUOTA_LOG_INTERVAL = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(GeocoderGate.class);

    private final CircuitBreaker breaker;
    private final Clock clock;
    private final Duration pause;
    private final String provider;
    private volatile GeocodeResult stoppedBy = GeocodeResult.failed(GeocodeOutcome.UNAVAILABLE, "calls paused");
    private volatile Instant lastQuotaLog = Instant.MIN;
    /** A stop the log told about at WARN: its end is told too (a per-second quota's is not). */
    private volatile boolean stopAnnounced;

    /**
     * @param provider for the log, e.g. "Tencent Location Service"
     * @param pause    how long calls stop once the provider is found failing, before one call probes it again
     */
    public GeocoderGate(String provider, Duration pause, Clock clock) {
        this.provider = provider;
        this.clock = clock;
        this.pause = pause;
        this.breaker = CircuitBreaker.of(provider, CircuitBreakerConfig.custom()
                .slidingWindowType(SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(WINDOW)
                .minimumNumberOfCalls(MINIMUM_CALLS)
                .failureRateThreshold(50)
                .waitDurationInOpenState(pause)
                .permittedNumberOfCallsInHalfOpenState(1)
                // No maxWaitDurationInHalfOpenState: it would start resilience4j's scheduler, a non-daemon thread.
                // Every permitted call ends in record() or abandon() instead, so a probe never stays open.
                .recordResult(answer -> answer instanceof GeocodeResult g && g.outcome().providerFailure())
                .writableStackTraceEnabled(false)
                .clock(clock)
                .build());
        breaker.getEventPublisher().onStateTransition(event -> {
            GeocodeResult reason = stoppedBy;
            switch (event.getStateTransition()) {
                case CLOSED_TO_OPEN -> {
                    if (reason.outcome() != GeocodeOutcome.OVER_QUOTA) {
                        stopAnnounced = true;
                        LOG.warn("{}: {} ({}); no calls for {} s, events go on marked mphubgeo={}",
                                provider, reason.outcome().marker(), reason.detail(), pause.toSeconds(),
                                reason.outcome().marker());
                    }
                }
                case HALF_OPEN_TO_CLOSED -> {
                    if (stopAnnounced) {
                        stopAnnounced = false;
                        LOG.info("{} answers again: calls resumed", provider);
                    }
                }
                default -> LOG.debug("{}: {}", provider, event.getStateTransition());
            }
        });
    }

    /**
     * @return null when a call may go out (its answer must then be given to {@link #record} or the call
     *         {@link #abandon}ed), else why calls are stopped, to mark the event with
     */
    public GeocodeResult refusal() {
        return breaker.tryAcquirePermission() ? null : stoppedBy;
    }

    /** How a permitted call went. */
    public void record(GeocodeResult answer, long nanos) {
        if (answer.outcome() == GeocodeOutcome.OVER_QUOTA) {
            stoppedBy = answer;
            Instant now = clock.instant();
            Instant until = answer.quotaUntil() != null ? answer.quotaUntil() : now.plus(pause);
            logQuota(answer, now, until);
            breaker.transitionToOpenStateUntil(until);
            return;
        }
        if (answer.outcome().providerFailure()) {
            stoppedBy = answer;
        }
        breaker.onResult(nanos, TimeUnit.NANOSECONDS, answer);
    }

    private void logQuota(GeocodeResult answer, Instant now, Instant until) {
        boolean longWindow = Duration.between(now, until).compareTo(Duration.ofMinutes(1)) > 0;
        if (longWindow || now.isAfter(lastQuotaLog.plus(QUOTA_LOG_INTERVAL))) {
            lastQuotaLog = now;
            stopAnnounced = true;
            LOG.warn("{}: {}; no calls until {}, events go on marked mphubgeo=over_quota", provider, answer.detail(),
                    until);
        } else {
            LOG.debug("{}: {}; no calls until {}", provider, answer.detail(), until);
        }
    }

    /** A permitted call that was never made or whose answer is lost (the hub is stopping). */
    public void abandon() {
        breaker.releasePermission();
    }
}
