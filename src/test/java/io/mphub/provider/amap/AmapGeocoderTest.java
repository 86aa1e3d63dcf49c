package io.mphub.provider.amap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.mphub.config.Secret;
import io.mphub.enrich.Coordinates.Cell;
import io.mphub.enrich.GeocodeOutcome;
import io.mphub.enrich.GeocodeResult;
import io.mphub.provider.HttpGeocoder;
import io.mphub.testing.AmapSandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The request the hub sends to AMap, checked by a sandbox that signs AMap's way, and what each answer means. */
class AmapGeocoderTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    // 2026-11-30 15:58:30 UTC: 23:58:30 in Beijing
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T15:58:30Z"), ZoneOffset.UTC);

    private AmapSandbox sandbox;

    @BeforeEach
    void start() throws Exception {
        sandbox = AmapSandbox.start();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private HttpGeocoder geocoder(String key, String privateKey) {
        return AmapProvider.geocoder(URI.create(sandbox.url()), new Secret(key), privateKey, TIMEOUT,
                new AmapAnswers(CLOCK));
    }

    @Test
    void aSignedRequestLongitudeFirstGetsTheAddressAndAdcode() throws Exception {
        GeocodeResult g = geocoder(sandbox.key(), sandbox.privateKey()).lookup(new Cell("39.9042,116.4074"));

        assertThat(g).isEqualTo(GeocodeResult.found(sandbox.addressOf("116.4074,39.9042"), "110101"));
        assertThat(sandbox.calls()).singleElement().satisfies(call -> {
            assertThat(call.sigValid()).isTrue();
            assertThat(call.location()).isEqualTo("116.4074,39.9042");
            assertThat(call.params()).containsOnlyKeys("key", "location", "sig");
        });
    }

    @Test
    void aWrongPrivateKeyIs10007AndNamesTheSettingNotTheSecrets() throws Exception {
        GeocodeResult g = geocoder(sandbox.key(), "not-the-private-key").lookup(new Cell("39.9042,116.4074"));

        assertThat(g.outcome()).isEqualTo(GeocodeOutcome.MISCONFIGURED);
        assertThat(g.detail()).contains("10007", "mphub.amap.private-key", "MPHUB_AMAP_PRIVATE_KEY")
                .doesNotContain(sandbox.key(), sandbox.privateKey(), "not-the-private-key");
        assertThat(sandbox.calls()).singleElement().satisfies(call -> assertThat(call.sigValid()).isFalse());
    }

    @Test
    void anUnknownKeyIs10001() throws Exception {
        GeocodeResult g = geocoder("0123456789abcdef0123456789abcdef", sandbox.privateKey())
                .lookup(new Cell("39.9042,116.4074"));

        assertThat(g.outcome()).isEqualTo(GeocodeOutcome.MISCONFIGURED);
        assertThat(g.detail()).contains("10001", "mphub.amap.key");
    }

    @Test
    void quotasStopCallsUntilTheirWindowEnds() throws Exception {
        sandbox.answerInfocode(location -> location.startsWith("116.") ? 10003 : 10004);
        HttpGeocoder geocoder = geocoder(sandbox.key(), sandbox.privateKey());

        GeocodeResult daily = geocoder.lookup(new Cell("39.9042,116.4074"));
        GeocodeResult minute = geocoder.lookup(new Cell("31.2304,121.4737"));

        assertThat(daily.outcome()).isEqualTo(GeocodeOutcome.OVER_QUOTA);
        assertThat(daily.quotaUntil()).isEqualTo(Instant.parse("2026-11-30T16:00:00Z")); // midnight in Beijing
        assertThat(minute.outcome()).isEqualTo(GeocodeOutcome.OVER_QUOTA);
        assertThat(minute.quotaUntil()).isEqualTo(Instant.parse("2026-11-30T15:59:00Z")); // the next minute
        assertThat(minute.detail()).contains("10004", "per-minute");
    }

    @Test
    void aBusyServerIsUnavailableAndBadParametersRejectOnlyThatEvent() throws Exception {
        sandbox.answerInfocode(location -> location.startsWith("116.") ? 10016 : 20000);
        HttpGeocoder geocoder = geocoder(sandbox.key(), sandbox.privateKey());

        assertThat(geocoder.lookup(new Cell("39.9042,116.4074")).outcome()).isEqualTo(GeocodeOutcome.UNAVAILABLE);
        assertThat(geocoder.lookup(new Cell("31.2304,121.4737")).outcome()).isEqualTo(GeocodeOutcome.REJECTED);
    }

    @Test
    void toStringShowsWhereCallsGoButNotTheKey() {
        assertThat(geocoder(sandbox.key(), sandbox.privateKey()).toString())
                .isEqualTo(sandbox.url() + "/v3/geocode/regeo");
    }
}
