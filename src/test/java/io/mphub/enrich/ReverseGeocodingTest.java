package io.mphub.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mphub.testing.TestClock;
import org.junit.jupiter.api.Test;

/**
 * The enricher's rules with a scripted provider: what an event gains, what the cache saves, and how calls stop
 * while the provider fails or is over quota.
 */
class ReverseGeocodingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PAUSE = Duration.ofSeconds(30);
    private static final Duration TTL = Duration.ofHours(1);

    private final TestClock clock = TestClock.fixed(Instant.parse("2026-11-24T08:00:00Z"));
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final List<String> calls = new ArrayList<>();
    private final Deque<GeocodeResult> script = new ArrayDeque<>();
    private final ReverseGeocoder provider = cell -> {
        calls.add(cell.location());
        GeocodeResult next = script.poll();
        return next != null ? next : GeocodeResult.found("北京市东城区东长安街 " + cell.location(), "110101");
    };
    private final ReverseGeocoding enricher = new ReverseGeocoding(provider,
            ReverseGeocoding.cache(1000, TTL, clock.ticker()), new GeocoderGate("test provider", PAUSE, clock), 4,
            "test provider", metrics);

    private int sequence;

    private ObjectNode login(double lat, double lng) throws Exception {
        return (ObjectNode) JSON.readTree("{\"specversion\":\"1.0\",\"id\":\"evt-" + ++sequence + "\",\"type\":\"mp.user.login\","
                + "\"data\":{\"appId\":\"wx1234567890abcdef\",\"openId\":\"o1\",\"location\":{\"latitude\":" + lat
                + ",\"longitude\":" + lng + "}}}");
    }

    private ObjectNode enriched(ObjectNode event) {
        enricher.enrich(event);
        return event;
    }

    private double count(String outcome) {
        return metrics.counter(ReverseGeocoding.METRIC, "outcome", outcome).count();
    }

    @Test
    void foundAddressBecomesAttributesAndDataStaysAsItWas() throws Exception {
        ObjectNode event = login(39.90421, 116.40739);
        JsonNode data = event.get("data").deepCopy();

        enriched(event);

        assertThat(event.get("mphubgeo").asText()).isEqualTo("ok");
        assertThat(event.get("mphubaddress").asText()).isEqualTo("北京市东城区东长安街 39.9042,116.4074");
        assertThat(event.get("mphubadcode").asText()).isEqualTo("110101");
        assertThat(event.get("data")).isEqualTo(data);
        assertThat(calls).containsExactly("39.9042,116.4074");
        assertThat(count("ok")).isEqualTo(1);
    }

    @Test
    void eventsWithoutALocationAreLeftAlone() throws Exception {
        ObjectNode order = (ObjectNode) JSON.readTree("{\"id\":\"o-1\",\"type\":\"mp.order.created\",\"data\":{\"orderId\":\"X1\"}}");
        ObjectNode before = order.deepCopy();

        enriched(order);

        assertThat(order).isEqualTo(before);
        assertThat(calls).isEmpty();
    }

    @Test
    void aSecondEventInTheSameCellIsAnsweredFromTheCache() throws Exception {
        enriched(login(39.90421, 116.40739));
        ObjectNode second = enriched(login(39.90424, 116.40744));

        assertThat(calls).hasSize(1);
        assertThat(second.get("mphubaddress").asText()).isEqualTo("北京市东城区东长安街 39.9042,116.4074");
        assertThat(count("ok")).isEqualTo(1);
        assertThat(count("cached")).isEqualTo(1);

        enriched(login(39.90414, 116.40739));
        assertThat(calls).containsExactly("39.9042,116.4074", "39.9041,116.4074");
    }

    @Test
    void aCachedAnswerExpiresAfterTheTtl() throws Exception {
        enriched(login(31.2304, 121.4737));
        clock.advance(TTL.minusSeconds(1));
        enriched(login(31.2304, 121.4737));
        assertThat(calls).hasSize(1);

        clock.advance(Duration.ofSeconds(2));
        enriched(login(31.2304, 121.4737));
        assertThat(calls).hasSize(2);
    }

    @Test
    void noAddressIsCachedAndMarkedButAFailureIsNotCached() throws Exception {
        script.add(GeocodeResult.notFound("status 347"));
        ObjectNode sea = enriched(login(20.0, 120.0));
        enriched(login(20.0, 120.0));
        assertThat(sea.get("mphubgeo").asText()).isEqualTo("not_found");
        assertThat(sea.has("mphubaddress")).isFalse();
        assertThat(calls).hasSize(1);

        script.add(GeocodeResult.failed(GeocodeOutcome.TIMEOUT, "no answer within 800 ms"));
        ObjectNode slow = enriched(login(22.5431, 114.0579));
        ObjectNode again = enriched(login(22.5431, 114.0579));
        assertThat(slow.get("mphubgeo").asText()).isEqualTo("timeout");
        assertThat(again.get("mphubgeo").asText()).isEqualTo("ok");
        assertThat(calls).hasSize(3);
    }

    @Test
    void aProducersOwnAddressAttributesAreNotPassedOffAsTheHubs() throws Exception {
        script.add(GeocodeResult.failed(GeocodeOutcome.UNAVAILABLE, "HTTP 502"));
        ObjectNode event = login(39.9042, 116.4074);
        event.put("mphubaddress", "forged").put("mphubadcode", "000000");

        enriched(event);

        assertThat(event.get("mphubgeo").asText()).isEqualTo("unavailable");
        assertThat(event.has("mphubaddress")).isFalse();
        assertThat(event.has("mphubadcode")).isFalse();
    }

    @Test
    void aFailingProviderStopsTheCallsAfterAFewAndOneProbeResumesThem() throws Exception {
        for (int i = 0; i < GeocoderGate.MINIMUM_CALLS; i++) {
            script.add(GeocodeResult.failed(GeocodeOutcome.TIMEOUT, "no answer within 800 ms"));
        }
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(enriched(login(30 + i, 120)));
        }
        assertThat(calls).hasSize(GeocoderGate.MINIMUM_CALLS);
        assertThat(events).allSatisfy(e -> assertThat(e.get("mphubgeo").asText()).isEqualTo("timeout"));
        assertThat(count("timeout")).isEqualTo(10);

        clock.advance(PAUSE.minusSeconds(1));
        assertThat(enriched(login(45, 120)).get("mphubgeo").asText()).isEqualTo("timeout");
        assertThat(calls).hasSize(GeocoderGate.MINIMUM_CALLS);

        clock.advance(Duration.ofSeconds(2));
        assertThat(enriched(login(46, 120)).get("mphubgeo").asText()).isEqualTo("ok");
        assertThat(enriched(login(47, 120)).get("mphubgeo").asText()).isEqualTo("ok");
        assertThat(calls).hasSize(GeocoderGate.MINIMUM_CALLS + 2);
    }

    @Test
    void aFailedProbeStopsTheCallsForAnotherPause() throws Exception {
        for (int i = 0; i <= GeocoderGate.MINIMUM_CALLS; i++) {
            script.add(GeocodeResult.failed(GeocodeOutcome.UNAVAILABLE, "ConnectException"));
        }
        for (int i = 0; i < GeocoderGate.MINIMUM_CALLS; i++) {
            enriched(login(30 + i, 120));
        }
        clock.advance(PAUSE.plusSeconds(1));
        assertThat(enriched(login(40, 120)).get("mphubgeo").asText()).isEqualTo("unavailable");
        assertThat(enriched(login(41, 120)).get("mphubgeo").asText()).isEqualTo("unavailable");
        assertThat(calls).hasSize(GeocoderGate.MINIMUM_CALLS + 1);
    }

    @Test
    void perSecondQuotaStopsTheCallsUntilTheNextSecond() throws Exception {
        script.add(GeocodeResult.overQuota("status 120", Instant.parse("2026-11-24T08:00:01Z")));
        assertThat(enriched(login(30, 120)).get("mphubgeo").asText()).isEqualTo("over_quota");
        assertThat(enriched(login(31, 120)).get("mphubgeo").asText()).isEqualTo("over_quota");
        assertThat(calls).hasSize(1);

        clock.advance(Duration.ofMillis(1001));
        assertThat(enriched(login(32, 120)).get("mphubgeo").asText()).isEqualTo("ok");
        assertThat(calls).hasSize(2);
        assertThat(count("over_quota")).isEqualTo(2);
    }

    @Test
    void dailyQuotaStopsTheCallsUntilItsWindowEnds() throws Exception {
        Instant midnightInBeijing = Instant.parse("2026-11-24T16:00:00Z");
        script.add(GeocodeResult.overQuota("status 121", midnightInBeijing));
        enriched(login(30, 120));
        clock.advance(Duration.ofHours(7));
        assertThat(enriched(login(31, 120)).get("mphubgeo").asText()).isEqualTo("over_quota");
        assertThat(calls).hasSize(1);

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        assertThat(enriched(login(32, 120)).get("mphubgeo").asText()).isEqualTo("ok");
    }

    @Test
    void cachedCellsAreStillAnsweredWhileCallsAreStopped() throws Exception {
        enriched(login(39.9042, 116.4074));
        script.add(GeocodeResult.overQuota("status 121", Instant.parse("2026-11-24T16:00:00Z")));
        enriched(login(31.2304, 121.4737));

        ObjectNode known = enriched(login(39.9042, 116.4074));

        assertThat(known.get("mphubgeo").asText()).isEqualTo("ok");
        assertThat(calls).hasSize(2);
    }

    @Test
    void refusedCredentialsMarkTheEventsAndStopTheCallsLikeAnOutage() throws Exception {
        for (int i = 0; i < GeocoderGate.MINIMUM_CALLS; i++) {
            script.add(GeocodeResult.failed(GeocodeOutcome.MISCONFIGURED, "status 111 (签名验证失败)"));
        }
        for (int i = 0; i < 5; i++) {
            assertThat(enriched(login(30 + i, 120)).get("mphubgeo").asText()).isEqualTo("misconfigured");
        }
        assertThat(calls).hasSize(GeocoderGate.MINIMUM_CALLS);
    }

    @Test
    void aRequestRefusedForItsPointDoesNotCountAgainstTheProvider() throws Exception {
        for (int i = 0; i < 5; i++) {
            script.add(GeocodeResult.failed(GeocodeOutcome.REJECTED, "status 310"));
        }
        for (int i = 0; i < 5; i++) {
            assertThat(enriched(login(30 + i, 120)).get("mphubgeo").asText()).isEqualTo("rejected");
        }
        assertThat(enriched(login(40, 120)).get("mphubgeo").asText()).isEqualTo("ok");
        assertThat(calls).hasSize(6);
    }

    @Test
    void aBugInTheProviderClientMarksTheEventInsteadOfFailingIt() throws Exception {
        ReverseGeocoding broken = new ReverseGeocoding(cell -> {
            throw new IllegalStateException("bug");
        }, ReverseGeocoding.cache(10, TTL, clock.ticker()), new GeocoderGate("test", PAUSE, clock), 4, "test", metrics);
        ObjectNode event = login(39.9042, 116.4074);

        broken.enrich(event);

        assertThat(event.get("mphubgeo").asText()).isEqualTo("unavailable");
    }

    @Test
    void eventsInOneCellAtTheSameMomentShareOneCall() throws Exception {
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger slowCalls = new AtomicInteger();
        ReverseGeocoding shared = new ReverseGeocoding(cell -> {
            slowCalls.incrementAndGet();
            inCall.countDown();
            answer.await();
            return GeocodeResult.found("上海市黄浦区人民大道200号", "310101");
        }, ReverseGeocoding.cache(10, TTL, clock.ticker()), new GeocoderGate("test", PAUSE, clock), 4, "test", metrics);
        ObjectNode first = login(31.2304, 121.4737);
        ObjectNode second = login(31.23042, 121.47368);

        Thread a = new Thread(() -> shared.enrich(first));
        a.start();
        inCall.await();
        Thread b = new Thread(() -> shared.enrich(second));
        b.start();
        // b waits on a's call (or, were there no sharing, on a call of its own)
        await().atMost(10, TimeUnit.SECONDS).until(() -> b.getState() == Thread.State.BLOCKED
                || b.getState() == Thread.State.WAITING);
        answer.countDown();
        a.join();
        b.join();

        assertThat(slowCalls).hasValue(1);
        assertThat(first.get("mphubaddress").asText()).isEqualTo("上海市黄浦区人民大道200号");
        assertThat(second.get("mphubaddress").asText()).isEqualTo("上海市黄浦区人民大道200号");
        assertThat(count("ok")).isEqualTo(1);
        assertThat(count("cached")).isEqualTo(1);
    }

    @Test
    void everyOutcomeIsOnTheMetricsFromTheStart() {
        for (GeocodeOutcome outcome : GeocodeOutcome.values()) {
            assertThat(metrics.find(ReverseGeocoding.METRIC).tag("outcome", outcome.marker()).counter()).isNotNull();
        }
        assertThat(metrics.find(ReverseGeocoding.METRIC).tag("outcome", "cached").counter()).isNotNull();
    }
}
