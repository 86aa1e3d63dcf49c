package io.mphub.deliver;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.mphub.config.Durations;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses a destination that keeps failing and resumes it when a probe succeeds. Pausing suspends the
 * destination's Kafka consumer: it keeps its group membership and polls nothing. Resuming starts its route anew,
 * which reads from the committed offset, so the record that found the endpoint down is delivered again (same
 * webhook-id) rather than dead-lettered. Other destinations have their own consumers and carry on.
 * <p>
 * The probe is an HTTP HEAD to the destination URL: any answer below 500 means the receiver is up again.
 * Probes back off from {@code firstProbe} to {@code maxProbe}.
 * <p>
 * An operator's pause ({@link #hold}) is separate: no probe or window lifts it, only {@link #release}; while it holds,
 * an automatic pause that ends leaves the consumer suspended. Holds come from the control topic, so every replica
 * obeys them and they outlast a restart.
 */
public final class Pauser {

    private static final Logger LOG = LoggerFactory.getLogger(Pauser.class);

    /** Why a destination pauses. */
    public enum Cause {
        /** Nothing got through: its endpoint is down. Probed until it answers. */
        ENDPOINT_DOWN,
        /** The provider's quota (or its refusal of the hub's account) holds it until a known time. */
        PROVIDER_WINDOW,
        /** An operator paused it, for maintenance: it stays paused until an operator resumes it. */
        HAND
    }

    /**
     * A destination's pause, as operators see it.
     *
     * @param until     when it resumes by itself (a provider's window), or null while it waits for a probe
     * @param nextProbe when its endpoint is probed next, or null
     */
    public record Pause(Cause cause, String why, Instant since, Instant until, Instant nextProbe) {
    }

    private final CamelContext camel;
    private final ScheduledExecutorService scheduler;
    private final HttpClient probeClient;
    private final Duration firstProbe;
    private final Duration maxProbe;
    private final Clock clock;
    private final Map<String, Pause> paused = new ConcurrentHashMap<>();
    private final Map<String, Pause> held = new ConcurrentHashMap<>();

    public Pauser(CamelContext camel, ScheduledExecutorService scheduler, HttpClient probeClient, Duration firstProbe,
            Duration maxProbe, Clock clock) {
        this.camel = camel;
        this.scheduler = scheduler;
        this.probeClient = probeClient;
        this.firstProbe = firstProbe;
        this.maxProbe = maxProbe;
        this.clock = clock;
    }

    public boolean isPaused(String destination) {
        return held.containsKey(destination) || paused.containsKey(destination);
    }

    /** The destination's pause, if it is paused: an operator's first, since only an operator ends it. */
    public Optional<Pause> pause(String destination) {
        Pause hand = held.get(destination);
        return Optional.ofNullable(hand != null ? hand : paused.get(destination));
    }

    /** The automatic pause alone (endpoint down, provider's window), which {@link #pause} shows after an operator's. */
    public Optional<Pause> automatic(String destination) {
        return Optional.ofNullable(paused.get(destination));
    }

    /**
     * An operator's pause: its consumer stops (or, before the routes start, will stop: {@link #suspendPaused}), and
     * nothing is dead-lettered while it holds. Holding a destination already held changes nothing.
     *
     * @param since when the operator asked for it
     */
    public synchronized void hold(String destination, String why, Instant since) {
        if (held.putIfAbsent(destination, new Pause(Cause.HAND, why, since, null, null)) == null) {
            LOG.warn("destination {} paused by an operator: {}; it stays paused until an operator resumes it",
                    destination, why);
            suspend(Destination.routeId(destination));
        }
    }

    /**
     * Ends an operator's pause; the consumer resumes unless an automatic pause still holds it.
     *
     * @param by who resumed it ({@code an operator} when this replica cannot tell)
     */
    public void release(String destination, String by) {
        synchronized (this) {
            Pause was = held.remove(destination);
            if (was == null) {
                return;
            }
            if (paused.containsKey(destination)) {
                LOG.info("destination {} resumed by {}, but it stays paused: {}", destination, by,
                        paused.get(destination).why());
                return;
            }
            LOG.info("destination {} resumed by {} after {}", destination, by,
                    Durations.readable(Duration.between(was.since(), clock.instant())));
        }
        resumeConsumer(destination);
    }

    /**
     * Suspends the consumers of the paused destinations whose routes started (or were made anew) since they were
     * paused: at start-up, and when live reload makes a destination's route.
     */
    public synchronized void suspendPaused() {
        held.keySet().forEach(d -> suspend(Destination.routeId(d)));
        paused.keySet().forEach(d -> suspend(Destination.routeId(d)));
    }

    /** A destination stopped while the hub runs: its pauses end, and its probe with them. */
    public synchronized void forget(String destination) {
        held.remove(destination);
        paused.remove(destination);
    }

    public synchronized void pause(Destination destination, String recordRef, String why) {
        Instant now = clock.instant();
        if (paused.putIfAbsent(destination.name(), new Pause(Cause.ENDPOINT_DOWN, why, now, null,
                now.plus(firstProbe))) != null) {
            return;
        }
        LOG.warn("destination {} paused at record {}: {}; probing {} in {}", destination.name(), recordRef, why,
                destination.url().getHost(), Durations.readable(firstProbe));
        suspend(destination.routeId());
        schedule(destination, firstProbe);
    }

    /**
     * Pauses a destination whose provider quota is spent until its window resets, then resumes it without a
     * probe: the provider is up, it only refuses more today.
     *
     * @return false when it was paused already
     */
    public synchronized boolean pauseFor(Destination destination, Duration window, String why) {
        Instant now = clock.instant();
        if (paused.putIfAbsent(destination.name(), new Pause(Cause.PROVIDER_WINDOW, why, now, now.plus(window),
                null)) != null) {
            return false;
        }
        LOG.warn("destination {} paused for {}: {}", destination.name(), Durations.readable(window), why);
        suspend(destination.routeId());
        scheduler.schedule(() -> resume(destination, "its window is over"), window.toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    private void suspend(String routeId) {
        Route route = camel.getRoute(routeId);
        if (route != null) {
            ServiceHelper.suspendService(route.getConsumer());
        }
    }

    /**
     * Resumes a destination by starting its route anew, not by Camel's resume: camel-kafka 4.18's fetch task ends
     * for good when it first runs on a consumer already suspended (a pause read back at start-up, or one made while
     * live reload starts the route, on a busy machine) or when a poll fails while it is suspended, and a resume then
     * wakes nothing. A route started anew has live fetch tasks; it rejoins its group and reads from the committed
     * offsets, so what the pause held back is delivered, none of it skipped.
     */
    private void resumeConsumer(String destination) {
        // Outside this pauser's lock: stopping the route waits for what its consumer threads are doing, and one of
        // them may be pausing the destination (or another) right now.
        String routeId = Destination.routeId(destination);
        if (camel.getRoute(routeId) == null) {
            return;
        }
        try {
            camel.getRouteController().stopRoute(routeId);
            camel.getRouteController().startRoute(routeId);
        } catch (Exception e) {
            LOG.error("route {} did not start again after its pause ({}); its destination delivers nothing until the"
                    + " hub restarts", routeId, e.getMessage(), e);
        }
        synchronized (this) {
            // Paused again while its route was made anew: the new consumer holds too.
            if (isPaused(destination)) {
                suspend(routeId);
            }
        }
    }

    private void schedule(Destination destination, Duration delay) {
        paused.computeIfPresent(destination.name(), (name, p) -> new Pause(p.cause(), p.why(), p.since(), p.until(),
                clock.instant().plus(delay)));
        scheduler.schedule(() -> probe(destination, delay), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void probe(Destination destination, Duration lastDelay) {
        if (!paused.containsKey(destination.name())) {
            return;
        }
        String outcome;
        try {
            HttpResponse<Void> response = probeClient.send(HttpRequest.newBuilder(destination.url())
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(destination.timeout()).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() < 500) {
                resume(destination, "the probe was answered HTTP " + response.statusCode());
                return;
            }
            outcome = "HTTP " + response.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            outcome = e.getClass().getSimpleName();
        }
        Duration next = lastDelay.multipliedBy(2).compareTo(maxProbe) > 0 ? maxProbe : lastDelay.multipliedBy(2);
        LOG.info("destination {} still down ({}); next probe in {}", destination.name(), outcome,
                Durations.readable(next));
        schedule(destination, next);
    }

    private void resume(Destination destination, String because) {
        synchronized (this) {
            // Cleared before the consumer resumes, so a failure right after the resume can pause it again.
            Pause was = paused.remove(destination.name());
            if (held.containsKey(destination.name())) {
                LOG.info("destination {}: {}, but an operator's pause holds it", destination.name(), because);
                return;
            }
            LOG.info("destination {} resumed after {}: {}", destination.name(),
                    was == null ? "0 s" : Durations.readable(Duration.between(was.since(), clock.instant())), because);
        }
        resumeConsumer(destination.name());
    }
}
