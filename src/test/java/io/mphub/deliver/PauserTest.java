package io.mphub.deliver;
import io.mphub.privacy.DataContract;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An operator's pause and the automatic ones, side by side: only an operator ends an operator's pause. */
class PauserTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Pauser pauser = new Pauser(new DefaultCamelContext(), scheduler, HttpClient.newHttpClient(),
            Duration.ofMillis(20), Duration.ofMillis(50), Clock.systemUTC());
    private HttpServer endpoint;

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        if (endpoint != null) {
            endpoint.stop(0);
        }
    }

    @Test
    void aProbeThatFindsTheEndpointUpDoesNotLiftAnOperatorsPause() throws IOException {
        AtomicInteger probes = new AtomicInteger();
        endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/", exchange -> {
            probes.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        endpoint.start();
        Destination d = destination(URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/hook"));

        pauser.hold(d.name(), "receiver upgrade", Instant.now());
        pauser.pause(d, "0@1", "3 attempts, last: HTTP 503");
        assertThat(pauser.automatic(d.name())).isPresent();
        await().atMost(10, TimeUnit.SECONDS).until(() -> pauser.automatic(d.name()).isEmpty());
        assertThat(probes.get()).isGreaterThanOrEqualTo(1);
        // The probe ended the automatic pause; the operator's holds.
        assertThat(pauser.isPaused(d.name())).isTrue();
        assertThat(pauser.pause(d.name()).orElseThrow().why()).isEqualTo("receiver upgrade");

        pauser.release(d.name(), "operator at 127.0.0.1");
        assertThat(pauser.isPaused(d.name())).isFalse();
        assertThat(pauser.pause(d.name())).isEmpty();
    }

    @Test
    void anOperatorsResumeLeavesAnAutomaticPauseInForce() {
        Destination d = destination(URI.create("http://127.0.0.1:9/hook"));
        pauser.pauseFor(d, Duration.ofHours(1), "quota spent");
        pauser.hold(d.name(), "maintenance", Instant.now());
        assertThat(pauser.pause(d.name()).orElseThrow().cause()).as("an operator's pause shows first")
                .isEqualTo(Pauser.Cause.HAND);

        pauser.release(d.name(), "operator at 127.0.0.1");
        assertThat(pauser.isPaused(d.name())).isTrue();
        assertThat(pauser.pause(d.name()).orElseThrow().cause()).isEqualTo(Pauser.Cause.PROVIDER_WINDOW);
    }

    private static Destination destination(URI url) {
        return new Destination("partner", "webhook", url, 10, Duration.ofSeconds(1),
                new RetryPolicy(3, Duration.ofMillis(1), 2, Duration.ofMillis(2)), DataContract.WHOLE);
    }
}
