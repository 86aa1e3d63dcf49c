package io.mphub.deliver;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mphub.deliver.Kind;
import io.mphub.privacy.DataContract;
import io.mphub.privacy.Privacy;
import io.mphub.testing.Audits;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The retry loop's answer to each outcome a provider kind can give, on one record. */
class DeliveryTest {

    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(1);

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Pauser pauser = new Pauser(camel, scheduler, HttpClient.newHttpClient(), Duration.ofHours(1),
            Duration.ofHours(1), Clock.systemUTC());
    private final Deque<Outcome> script = new ArrayDeque<>();
    private int attempts;

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private Delivery delivery(int maxAttempts) {
        Destination d = new Destination("notifications", "test", URI.create("http://127.0.0.1:9/"), 10,
                Duration.ofSeconds(1), new RetryPolicy(maxAttempts, Duration.ofMillis(1), 2, Duration.ofMillis(2)),
                DataContract.WHOLE);
        Kind kind = (http, id, event) -> {
            attempts++;
            return script.removeFirst();
        };
        return new Delivery(Map.of(d.name(), new Delivery.Target(d, kind, null, new DestinationHealth())),
                Audits.privacy(), Audits.none(), pauser, new DeliveryLog(10), new Stopping(), new Random(1), MAX_RETRY_AFTER, metrics,
                Clock.systemUTC());
    }

    private Exchange record() {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader("ce_id", "evt-1");
        exchange.getMessage().setBody("{\"id\":\"evt-1\",\"data\":{}}".getBytes(StandardCharsets.UTF_8));
        return exchange;
    }

    private double count(String outcome, String reason) {
        var counter = metrics.find("mphub.delivery.attempts").tags("destination", "notifications", "outcome", outcome,
                "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void skippedIsCountedAndNeitherRetriedNorDeadLettered() {
        script.add(new Outcome.Skipped("declined", "errcode 43101"));

        delivery(3).deliver(record(), "notifications", Privacy.now());

        assertThat(attempts).isEqualTo(1);
        assertThat(count("skipped", "declined")).isEqualTo(1);
    }

    @Test
    void aShortQuotaWaitSpendsNoAttempt() {
        script.add(new Outcome.Wait("quota_minute", "errcode 45011", Duration.ofMillis(5)));
        script.add(new Outcome.Wait("quota_minute", "errcode 45011", Duration.ofMillis(5)));
        script.add(new Outcome.Delivered(200));

        // One attempt allowed: only a wait that spends none lets the third answer through.
        delivery(1).deliver(record(), "notifications", Privacy.now());

        assertThat(attempts).isEqualTo(3);
        assertThat(count("quota_wait", "quota_minute")).isEqualTo(2);
        assertThat(count("delivered", "ok")).isEqualTo(1);
    }

    @Test
    void aQuotaWindowLongerThanTheLongestWaitPausesTheDestinationWithoutADeadLetter() {
        script.add(new Outcome.Wait("quota_day", "errcode 45009", Duration.ofHours(3)));

        assertThatThrownBy(() -> delivery(3).deliver(record(), "notifications", Privacy.now()))
                .isInstanceOf(DestinationPausedException.class).hasMessageContaining("45009");
        assertThat(pauser.isPaused("notifications")).isTrue();
    }

    @Test
    void permanentIsDeadLetteredAtOnceWithItsReason() {
        script.add(new Outcome.Permanent("errcode_47003", "argument invalid"));

        assertThatThrownBy(() -> delivery(3).deliver(record(), "notifications", Privacy.now()))
                .isInstanceOfSatisfying(UndeliverableException.class, e -> assertThat(e.reason()).isEqualTo("errcode_47003"));
        assertThat(attempts).isEqualTo(1);
    }
}
