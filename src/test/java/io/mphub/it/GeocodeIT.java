package io.mphub.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.enrich.GeocoderGate;
import io.mphub.testing.AmapSandbox;
import io.mphub.testing.Events;
import io.mphub.testing.LogCapture;
import io.mphub.testing.Receiver;
import io.mphub.testing.TencentMapSandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reverse geocoding end to end: the real broker, the hub, a local Tencent Location Service that checks every
 * signature as Tencent does, and the destinations' receivers. Each test runs a hub of its own on an input topic of
 * its own, so the circuit breaker and the cache start fresh and no other test's events reach the sandbox.
 */
class GeocodeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BEIJING = "39.9042,116.4074";

    @RegisterExtension
    static final HubFixture fixture = new HubFixture();
    private static TencentMapSandbox sandbox;

    private LogCapture logs;
    private final AtomicInteger sequence = new AtomicInteger();
    private String topic;
    private String prefix;

    @BeforeAll
    static void startAll() throws Exception {
        sandbox = fixture.closing(TencentMapSandbox.start());
    }

    @BeforeEach
    void name(TestInfo test) {
        String method = test.getTestMethod().orElseThrow().getName();
        topic = "geo." + method;
        prefix = "geo-" + method + "-";
        sandbox.reset();
        logs = LogCapture.open();
    }

    @AfterEach
    void stopHub() throws Exception {
        logs.close();
        sandbox.release();
        if (fixture.hub != null) {
            fixture.hub.close();
            fixture.hub = null;
        }
    }

    /** A hub reading this test's topic, with reverse geocoding pointed at the sandbox (and these overrides). */
    private void startHub(Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>();
        p.put("mphub.ingest.topics", topic);
        p.put("mphub.tencentmap.url", sandbox.url());
        p.put("mphub.tencentmap.key", sandbox.key());
        p.put("mphub.tencentmap.sk", sandbox.sk());
        // Generous for a loaded test machine; the slow tests hold the answers far beyond it anyway.
        p.put("mphub.tencentmap.timeout-ms", "2000");
        // One consumer thread each: a hub per test starts and stops quicker.
        p.put("mphub.ingest.concurrency", "1");
        p.put("mphub.delivery.concurrency", "1");
        // analytics as a destination that receives everything: what the hub adds is seen whole (the shipped analytics
        // contract drops the address and coarsens the adcode: PrivacyIT).
        p.putAll(fixture.analyticsWhole());
        p.putAll(overrides);
        p.values().removeIf(v -> v == null || v.isEmpty());
        fixture.startHub(p);
    }

    private void startHub() {
        startHub(Map.of());
    }

    /** Publishes a login at this point; returns its id. */
    private String login(String user, double lat, double lng) {
        String id = prefix + sequence.incrementAndGet();
        fixture.kafka.publish(topic, user, Events.structured(id, "mp.user.login", user, loginData(user, lat, lng)));
        return id;
    }

    private static String loginData(String user, double lat, double lng) {
        return "{\"appId\":\"" + Events.APP + "\",\"openId\":\"" + user + "\",\"scene\":1001,\"platform\":\"ios\","
                + "\"location\":{\"latitude\":" + lat + ",\"longitude\":" + lng + "}}";
    }

    private String publish(String type, String user, String data) {
        String id = prefix + sequence.incrementAndGet();
        fixture.kafka.publish(topic, user, Events.structured(id, type, user, data));
        return id;
    }

    /** The event as the destination received it (its first attempt), once it has arrived. */
    private static JsonNode arrived(String destination, String id) throws Exception {
        Receiver r = fixture.receiver(destination);
        await().atMost(60, TimeUnit.SECONDS).until(() -> !r.attemptsOf(id).isEmpty());
        Receiver.Arrival a = r.attemptsOf(id).get(0);
        assertThat(a.signatureValid()).isTrue();
        return r.event(id);
    }

    private static void assertMarkedWithoutAddress(JsonNode event, String marker, double lat, double lng) throws Exception {
        assertThat(event.get("mphubgeo").asText()).as("mphubgeo of %s", event.get("id")).isEqualTo(marker);
        assertThat(event.has("mphubaddress")).isFalse();
        assertThat(event.has("mphubadcode")).isFalse();
        String user = event.get("subject").asText();
        assertThat(event.get("data")).isEqualTo(JSON.readTree(loginData(user, lat, lng)));
    }

    @Test
    void loginArrivesWithTheAddressAndTheProducersDataUnchanged() throws Exception {
        startHub();
        String user = "oGeoUser1";
        String id = login(user, 39.9042, 116.4074);

        for (String destination : List.of("analytics", "customer-service")) {
            JsonNode event = arrived(destination, id);
            assertThat(event.get("mphubgeo").asText()).isEqualTo("ok");
            assertThat(event.get("mphubaddress").asText()).isEqualTo(sandbox.addressOf(BEIJING)).isEqualTo("北京市东城区东长安街");
            assertThat(event.get("mphubadcode").asText()).isEqualTo("110101");
            assertThat(event.get("data")).isEqualTo(JSON.readTree(loginData(user, 39.9042, 116.4074)));
            assertThat(event.get("mphubreceived").asText()).isNotBlank();
        }
        assertThat(sandbox.calls()).singleElement().satisfies(call -> {
            assertThat(call.location()).isEqualTo(BEIJING);
            assertThat(call.sigValid()).isTrue();
            assertThat(call.status()).isZero();
            assertThat(call.params()).containsOnlyKeys("key", "location", "sig");
        });
    }

    @Test
    void withAmapChosenItsSignedAnswersAndErrorsMarkTheEventsAndTencentIsNotCalled() throws Exception {
        try (AmapSandbox amap = AmapSandbox.start()) {
            // For Shanghai's cell AMap answers its daily quota spent: that event goes on marked, without an address
            amap.answerInfocode(location -> location.equals("121.4737,31.2304") ? 10003 : 10000);
            startHub(Map.of("mphub.geocoding.provider", "amap", "mphub.amap.url", amap.url(),
                    "mphub.amap.key", amap.key(), "mphub.amap.private-key", amap.privateKey(),
                    "mphub.amap.timeout-ms", "2000"));
            String beijing = login("oGeoAmap1", 39.9042, 116.4074);
            JsonNode found = arrived("analytics", beijing); // before the quota answer stops the calls for the day
            String shanghai = login("oGeoAmap2", 31.2304, 121.4737);

            assertThat(found.get("mphubgeo").asText()).isEqualTo("ok");
            assertThat(found.get("mphubaddress").asText()).isEqualTo(amap.addressOf("116.4074,39.9042"))
                    .isEqualTo("北京市东城区东华门街道天安门");
            assertThat(found.get("mphubadcode").asText()).isEqualTo("110101");
            assertMarkedWithoutAddress(arrived("analytics", shanghai), "over_quota", 31.2304, 121.4737);
            assertThat(amap.calls()).extracting(AmapSandbox.Call::location)
                    .containsExactlyInAnyOrder("116.4074,39.9042", "121.4737,31.2304");
            assertThat(amap.calls()).allSatisfy(call -> assertThat(call.sigValid()).isTrue());
            assertThat(sandbox.calls()).isEmpty(); // its key is set too, but AMap is the one chosen
        }
    }

    @Test
    void secondEventInTheSameRoundedCellMakesNoFurtherCall() throws Exception {
        startHub();
        String first = login("oGeoUser2", 39.9042, 116.4074);
        arrived("analytics", first);
        // another user, a few metres away: the same cell at 4 decimal places
        String second = login("oGeoUser3", 39.90423, 116.40736);

        JsonNode event = arrived("analytics", second);

        assertThat(event.get("mphubgeo").asText()).isEqualTo("ok");
        assertThat(event.get("mphubaddress").asText()).isEqualTo(sandbox.addressOf(BEIJING));
        assertThat(event.get("data").get("location").get("latitude").asDouble()).isEqualTo(39.90423);
        assertThat(sandbox.calls()).hasSize(1);
    }

    @Test
    void otherEventTypesAreUntouched() throws Exception {
        startHub();
        String user = "oGeoUser4";
        String order = publish("mp.order.created", user, Events.orderCreated(user, "GEO00001"));
        String tap = publish("mp.behaviour.tap", user, Events.behaviour(user, "pages/index/index"));
        String located = login(user, 31.2304, 121.4737);

        for (String id : List.of(order, tap)) {
            JsonNode event = arrived("analytics", id);
            assertThat(event.has("mphubgeo")).as(id).isFalse();
            assertThat(event.has("mphubaddress")).as(id).isFalse();
            assertThat(event.has("mphubadcode")).as(id).isFalse();
        }
        assertThat(arrived("analytics", located).get("mphubaddress").asText()).isEqualTo("上海市黄浦区人民大道200号");
        assertThat(sandbox.calls()).extracting(TencentMapSandbox.Call::location).containsExactly("31.2304,121.4737");
    }

    @Test
    void slowProviderCostsTheTimeoutOnlyAFewTimesAndEventsGoOnMarked() throws Exception {
        startHub();
        sandbox.holdAnswers();
        String user = "oGeoSlow";
        List<String> ids = new ArrayList<>();
        int events = GeocoderGate.MINIMUM_CALLS + 3;
        for (int i = 0; i < events; i++) {
            ids.add(login(user, 30.1 + i, 120.1));
        }

        for (int i = 0; i < events; i++) {
            assertMarkedWithoutAddress(arrived("analytics", ids.get(i)), "timeout", 30.1 + i, 120.1);
            assertMarkedWithoutAddress(arrived("customer-service", ids.get(i)), "timeout", 30.1 + i, 120.1);
        }
        // Every event was delivered while the provider still held every answer: ingest never waited for it.
        assertThat(sandbox.answered()).isZero();
        // One user: one partition, in order. After MINIMUM_CALLS timeouts the hub stopped calling.
        assertThat(sandbox.calls()).hasSize(GeocoderGate.MINIMUM_CALLS);
    }

    @Test
    void providerAnsweringErrorsIsCalledOnlyAFewTimesAndEventsGoOnMarked() throws Exception {
        startHub();
        sandbox.failWithHttp(502);
        String user = "oGeoBroken";
        int events = GeocoderGate.MINIMUM_CALLS + 3;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            ids.add(login(user, 22.1 + i, 113.1));
        }

        for (int i = 0; i < events; i++) {
            assertMarkedWithoutAddress(arrived("analytics", ids.get(i)), "unavailable", 22.1 + i, 113.1);
        }
        assertThat(sandbox.calls()).hasSize(GeocoderGate.MINIMUM_CALLS);
    }

    @Test
    void providerDownMarksEventsUnavailable() throws Exception {
        startHub();
        sandbox.stop();
        try {
            String id = login("oGeoDown", 23.1291, 113.2644);
            assertMarkedWithoutAddress(arrived("customer-service", id), "unavailable", 23.1291, 113.2644);
            assertMarkedWithoutAddress(arrived("analytics", id), "unavailable", 23.1291, 113.2644);
        } finally {
            sandbox.listen();
        }
        assertThat(sandbox.calls()).isEmpty();
    }

    @Test
    void perSecondQuotaMarksTheEventAndCallsResumeWhenTheSecondIsOver() throws Exception {
        startHub();
        String limited = "24.4798,118.0894";
        sandbox.answerStatus(location -> location.equals(limited) ? 120 : 0);
        String user = "oGeoQuota";
        assertMarkedWithoutAddress(arrived("analytics", login(user, 24.4798, 118.0894)), "over_quota", 24.4798, 118.0894);

        // Until the window has passed, events go on marked and make no call; the first one after it is enriched.
        List<String> markers = new ArrayList<>();
        await().atMost(60, TimeUnit.SECONDS).until(() -> {
            double lat = 25 + sequence.get() * 0.01;
            JsonNode event = arrived("analytics", login(user, lat, 118.1));
            markers.add(event.get("mphubgeo").asText());
            return event.get("mphubgeo").asText().equals("ok");
        });
        assertThat(markers.subList(0, markers.size() - 1)).allMatch("over_quota"::equals);
        assertThat(sandbox.calls()).hasSize(2);
        assertThat(sandbox.calls().get(0).status()).isEqualTo(120);
        assertThat(sandbox.calls().get(1).status()).isZero();
    }

    @Test
    void dailyQuotaStopsTheCallsAndEveryEventGoesOnMarked() throws Exception {
        startHub();
        sandbox.answerStatus(location -> 121);
        String user = "oGeoDaily";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(login(user, 26.1 + i, 119.3));
        }

        for (int i = 0; i < 5; i++) {
            assertMarkedWithoutAddress(arrived("analytics", ids.get(i)), "over_quota", 26.1 + i, 119.3);
        }
        assertThat(sandbox.calls()).hasSize(1);
        assertThat(logs.events()).anyMatch(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains("121")
                && e.getFormattedMessage().contains("no calls until"));
    }

    @Test
    void wrongSkIsRefusedWith111LoggedOnceWithoutSecretsAndEventsGoOnMarked() throws Exception {
        String wrongSk = "Wr0ngSkWr0ngSkWr0ngSkWr0ngSk1234";
        startHub(Map.of("mphub.tencentmap.sk", wrongSk));
        String first = login("oGeoSig1", 34.3416, 108.9398);
        String second = login("oGeoSig2", 30.5728, 104.0668);

        assertMarkedWithoutAddress(arrived("analytics", first), "misconfigured", 34.3416, 108.9398);
        assertMarkedWithoutAddress(arrived("analytics", second), "misconfigured", 30.5728, 104.0668);
        assertThat(sandbox.calls()).hasSize(2).allSatisfy(call -> {
            assertThat(call.sigValid()).isFalse();
            assertThat(call.status()).isEqualTo(111);
        });
        List<ILoggingEvent> errors = logs.events().stream().filter(e -> e.getLevel() == Level.ERROR
                && e.getLoggerName().startsWith("io.mphub")).toList();
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .contains("111", "mphub.tencentmap.sk"));
        assertThat(logs.events()).noneMatch(e -> e.getFormattedMessage().contains(sandbox.key())
                || e.getFormattedMessage().contains(sandbox.sk()) || e.getFormattedMessage().contains(wrongSk));
    }

    @Test
    void withoutAKeyNothingIsCalledAndNothingAdded() throws Exception {
        startHub(Map.of("mphub.tencentmap.key", ""));
        String id = login("oGeoOff", 39.9042, 116.4074);

        JsonNode event = arrived("analytics", id);

        assertThat(event.has("mphubgeo")).isFalse();
        assertThat(event.has("mphubaddress")).isFalse();
        assertThat(event.has("mphubadcode")).isFalse();
        assertThat(sandbox.calls()).isEmpty();
    }
}
