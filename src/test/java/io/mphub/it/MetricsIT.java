package io.mphub.it;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mphub.testing.Events;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /metrics} from start-up on: every mphub_* family says what it counts (HELP) and is there at 0 before anything
 * happened, so that a dashboard and a rate() work from the first scrape; then it counts what happens.
 */
class MetricsIT {

    private static final Pattern HELP = Pattern.compile("^# HELP (mphub_\\S+) (.*)$", Pattern.MULTILINE);
    @RegisterExtension
    static final HubFixture fixture = new HubFixture();

    @BeforeAll
    static void start() throws Exception {
        fixture.startHub(Map.of("mphub.health.check-interval-ms", "500"));
    }

    @Test
    void everyFamilyHasHelpAndStartsAtZeroThenCountsWhatHappens() throws Exception {
        await().atMost(30, TimeUnit.SECONDS).until(() -> fixture.hub.metrics()
                .contains("mphub_consumer_lag_records{group=\"mphub.deliver.analytics\"} 0.0"));
        String scrape = fixture.hub.metrics();
        Map<String, String> help = new LinkedHashMap<>();
        Matcher m = HELP.matcher(scrape);
        while (m.find()) {
            help.put(m.group(1), m.group(2));
        }
        assertThat(help).containsKeys("mphub_events_ingested_total", "mphub_events_accepted_total",
                "mphub_delivery_attempts_total", "mphub_delivery_latency_seconds", "mphub_dead_letters_total",
                "mphub_destination_paused", "mphub_consumer_lag_records", "mphub_consumer_stuck_partitions",
                "mphub_infrastructure_failures_total", "mphub_kafka_up", "mphub_ingest_unrouted_total");
        assertThat(help).allSatisfy((family, text) -> assertThat(text).as(family).isNotBlank());
        for (String family : help.keySet()) {
            Pattern sample = Pattern.compile("^" + Pattern.quote(family) + "(_bucket|_count|_sum|_max)?[{ ].*");
            assertThat(scrape.lines().filter(l -> sample.matcher(l).matches())).as("a sample of %s", family)
                    .isNotEmpty();
        }
        assertThat(metric("mphub_events_ingested_total")).isZero();
        assertThat(metric("mphub_dead_letters_total{reason=\"schema\",topic=\"mp.dlq.ingest\"}")).isZero();
        assertThat(metric("mphub_dead_letters_total{reason=\"retries_exhausted\",topic=\"mp.dlq.payment\"}")).isZero();
        assertThat(metric("mphub_delivery_attempts_total{destination=\"payment\",outcome=\"delivered\",reason=\"ok\"}"))
                .isZero();
        assertThat(metric("mphub_destination_paused{destination=\"analytics\"}")).isZero();
        assertThat(metric("mphub_kafka_up")).isEqualTo(1);
        assertThat(metric("mphub_consumer_stuck_partitions")).isZero();

        String u = "oMetricsUser";
        fixture.kafka.publish("mp.events.login", u, Events.structured("metrics-1", "mp.user.login", u, Events.login(u)));
        fixture.kafka.publish("mp.events.order", u, Events.structured("metrics-2", "mp.order.created", u,
                Events.orderCreated(u, "MET0001").replace("\"total\":1999", "\"total\":\"19.99\"")));
        await().atMost(60, TimeUnit.SECONDS).until(() -> metric(
                "mphub_delivery_attempts_total{destination=\"analytics\",outcome=\"delivered\",reason=\"ok\"}") == 1
                && metric("mphub_dead_letters_total{reason=\"schema\",topic=\"mp.dlq.ingest\"}") == 1);
        assertThat(metric("mphub_events_ingested_total")).isEqualTo(2);
        assertThat(metric("mphub_events_accepted_total")).isEqualTo(1);
        assertThat(metric("mphub_delivery_latency_seconds_count{destination=\"analytics\"}")).isEqualTo(1);
        assertThat(List.of(fixture.hub.metrics().split("\n")))
                .anyMatch(l -> l.startsWith("mphub_delivery_latency_seconds_bucket{destination=\"analytics\",le=\"60.0\"} 1"));
    }

    private static double metric(String series) throws Exception {
        return fixture.hub.metric(series);
    }
}
