package io.mphub.deliver;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses a destination that keeps failing and resumes it when a probe succeeds. Pausing suspends the
 * destination's Kafka consumer: it keeps its group membership and polls nothing, and on resume it seeks back
 * to its committed offset, so the record that found the endpoint down is delivered again (same webhook-id)
 * rather than dead-lettered. Other destinations have their own consumers and carry on.
 * <p>
 * The probe is an HTTP HEAD to the destination URL: any answer below 500 means the receiver is up again.
 * Probes back off from {@code firstProbe} to {@code maxProbe}.
 */
public final class Pauser {

    private static final Logger LOG = LoggerFactory.getLogger(Pauser.class);

    private final CamelContext camel;
    private final ScheduledExecutorService scheduler;
    private final HttpClient probeClient;
    private final Duration firstProbe;
    private final Duration maxProbe;
    private final Map<String, Long> pausedSince = new ConcurrentHashMap<>();

    public Pauser(CamelContext camel, ScheduledExecutorService scheduler, HttpClient probeClient, Duration firstProbe,
            Duration maxProbe) {
        this.camel = camel;
        this.scheduler = scheduler;
        this.probeClient = probeClient;
        this.firstProbe = firstProbe;
        this.maxProbe = maxProbe;
    }

    public boolean isPaused(String destination) {
        return pausedSince.containsKey(destination);
    }

    public void pause(Destination destination, String recordRef, String why) {
        if (pausedSince.putIfAbsent(destination.name(), System.nanoTime()) != null) {
            return;
        }
        LOG.warn("destination {} paused at record {}: {}; probing {} from {}", destination.name(), recordRef, why,
                destination.url().getHost(), firstProbe);
        Route route = camel.getRoute(destination.routeId());
        if (route != null) {
            ServiceHelper.suspendService(route.getConsumer());
        }
        schedule(destination, firstProbe);
    }

    /**
     * Pauses a destination whose provider quota is spent until its window resets, then resumes it without a
     * probe: the provider is up, it only refuses more today.
     */
    public void pauseFor(Destination destination, Duration window, String why) {
        if (pausedSince.putIfAbsent(destination.name(), System.nanoTime()) != null) {
            return;
        }
        LOG.warn("destination {} paused for {} s: {}", destination.name(), window.toSeconds(), why);
        Route route = camel.getRoute(destination.routeId());
        if (route != null) {
            ServiceHelper.suspendService(route.getConsumer());
        }
        scheduler.schedule(() -> resume(destination, "quota window over"), window.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void schedule(Destination destination, Duration delay) {
        scheduler.schedule(() -> probe(destination, delay), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void probe(Destination destination, Duration lastDelay) {
        String outcome;
        try {
            HttpResponse<Void> response = probeClient.send(HttpRequest.newBuilder(destination.url())
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(destination.timeout()).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() < 500) {
                resume(destination, "HTTP " + response.statusCode());
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
        LOG.info("destination {} still down ({}); next probe in {}", destination.name(), outcome, next);
        schedule(destination, next);
    }

    private void resume(Destination destination, String probeAnswer) {
        // Cleared before the consumer resumes, so a failure right after the resume can pause it again.
        Long since = pausedSince.remove(destination.name());
        Route route = camel.getRoute(destination.routeId());
        if (route != null) {
            ServiceHelper.resumeService(route.getConsumer());
        }
        LOG.info("destination {} resumed after {} s (probe answered {})", destination.name(),
                since == null ? 0 : TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since), probeAnswer);
    }
}
