package io.mphub.provider.tencentmap;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

import io.mphub.config.Secret;
import io.mphub.enrich.Coordinates.Cell;
import io.mphub.enrich.GeocodeOutcome;
import io.mphub.enrich.GeocodeResult;
import io.mphub.provider.HttpGeocoder;
import io.mphub.testing.TencentMapSandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** The request the hub sends to Tencent, and how each kind of answer (or its absence) comes back. */
class TencentMapGeocoderTest {

    // the vector published for Tencent Location Service
    private static final String VECTOR_KEY = "5Q5BZ-5EVWJ-SN5F3-K6QBZ-B3FAO-RVBWM";
    private static final String VECTOR_SK = "SWvT26ypwq5Nwb5RvS8cLi6NSoH8HlJX";
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private TencentMapSandbox sandbox;

    @BeforeEach
    void start() throws Exception {
        sandbox = TencentMapSandbox.start();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private HttpGeocoder geocoder(String url, String key, String sk) {
        return TencentMapProvider.geocoder(URI.create(url), new Secret(key), sk, TIMEOUT,
                new TencentMapAnswers(Clock.systemUTC()));
    }

    private HttpGeocoder toSandbox(String sk) {
        return geocoder(sandbox.url(), sandbox.key(), sk);
    }

    @Test
    void requestIsTheSignedGetOfThePublishedVector() {
        HttpRequest request = geocoder("https://apis.map.qq.com", VECTOR_KEY, VECTOR_SK)
                .request(new Cell("28.7033487,115.8660847"));

        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.uri().toString()).isEqualTo("https://apis.map.qq.com/ws/geocoder/v1"
                + "?key=5Q5BZ-5EVWJ-SN5F3-K6QBZ-B3FAO-RVBWM&location=28.7033487%2C115.8660847"
                + "&sig=90da272bfa19122547298e2b0bcc0e50");
        assertThat(request.timeout()).contains(TIMEOUT);
        assertThat(request.headers().map()).doesNotContainKey("authorization");
    }

    @Test
    void sigIsTheMd5OfPathSortedRawParametersAndSk() throws Exception {
        URI uri = geocoder("https://apis.map.qq.com/", "KEY12-34567-89ABC-DEFGH-IJKLM-NOPQR", "sk-of-the-test")
                .request(new Cell("-33.8688,151.2093")).uri();

        assertThat(uri.getRawPath()).isEqualTo("/ws/geocoder/v1");
        String sig = uri.getRawQuery().replaceAll(".*&sig=", "");
        String raw = URLDecoder.decode(uri.getRawQuery().replaceAll("&sig=.*", ""), UTF_8);
        assertThat(raw).isEqualTo("key=KEY12-34567-89ABC-DEFGH-IJKLM-NOPQR&location=-33.8688,151.2093");
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                .digest(("/ws/geocoder/v1?" + raw + "sk-of-the-test").getBytes(UTF_8)));
        assertThat(sig).isEqualTo(expected);
    }

    @Test
    void sandboxCheckingTheSignatureAsTencentDoesAnswersWithTheAddress() throws Exception {
        GeocodeResult g = toSandbox(sandbox.sk()).lookup(new Cell("39.9042,116.4074"));

        assertThat(g).isEqualTo(GeocodeResult.found("北京市东城区东长安街", "110101"));
        assertThat(sandbox.calls()).singleElement().satisfies(call -> {
            assertThat(call.sigValid()).isTrue();
            assertThat(call.location()).isEqualTo("39.9042,116.4074");
            assertThat(call.path()).isEqualTo("/ws/geocoder/v1");
        });
    }

    @Test
    void wrongSkIsRefusedWith111AndNamesTheSettingNotTheSecret() throws Exception {
        GeocodeResult g = toSandbox("not-the-sk-of-this-key").lookup(new Cell("39.9042,116.4074"));

        assertThat(g.outcome()).isEqualTo(GeocodeOutcome.MISCONFIGURED);
        assertThat(g.detail()).contains("111", "mphub.tencentmap.sk").doesNotContain(sandbox.key(), sandbox.sk(),
                "not-the-sk-of-this-key");
        assertThat(sandbox.calls()).singleElement().satisfies(call -> assertThat(call.sigValid()).isFalse());
    }

    @Test
    void unknownKeyIsRefusedWith190() throws Exception {
        GeocodeResult g = geocoder(sandbox.url(), TencentMapSandbox.newKey(), sandbox.sk()).lookup(new Cell("39.9042,116.4074"));

        assertThat(g.outcome()).isEqualTo(GeocodeOutcome.MISCONFIGURED);
        assertThat(g.detail()).contains("190", "mphub.tencentmap.key");
    }

    @Test
    void quotaAnswersComeBackAsOverQuota() throws Exception {
        sandbox.answerStatus(location -> location.startsWith("39.") ? 120 : 121);
        HttpGeocoder geocoder = toSandbox(sandbox.sk());

        assertThat(geocoder.lookup(new Cell("39.9042,116.4074")).detail()).contains("120", "per-second");
        assertThat(geocoder.lookup(new Cell("31.2304,121.4737")).detail()).contains("121", "daily");
    }

    @Test
    void noAnswerWithinTheTimeoutIsATimeout() throws Exception {
        sandbox.holdAnswers();

        GeocodeResult g = toSandbox(sandbox.sk()).lookup(new Cell("39.9042,116.4074"));

        assertThat(g.outcome()).isEqualTo(GeocodeOutcome.TIMEOUT);
        assertThat(g.detail()).isEqualTo("no answer within 300 ms");
        assertThat(sandbox.calls()).hasSize(1);
    }

    @Test
    void refusedConnectionIsUnavailableAndItsDetailHasNoKey() throws Exception {
        sandbox.stop();

        GeocodeResult g = toSandbox(sandbox.sk()).lookup(new Cell("39.9042,116.4074"));

        assertThat(g.outcome()).isEqualTo(GeocodeOutcome.UNAVAILABLE);
        assertThat(g.detail()).doesNotContain(sandbox.key());
    }

    @Test
    void httpErrorIsUnavailable() throws Exception {
        sandbox.failWithHttp(502);

        assertThat(toSandbox(sandbox.sk()).lookup(new Cell("39.9042,116.4074")))
                .isEqualTo(GeocodeResult.failed(GeocodeOutcome.UNAVAILABLE, "HTTP 502"));
    }

    @Test
    void toStringShowsWhereCallsGoButNotTheKey() {
        assertThat(geocoder("https://apis.map.qq.com", VECTOR_KEY, VECTOR_SK).toString())
                .isEqualTo("https://apis.map.qq.com/ws/geocoder/v1");
    }
}
