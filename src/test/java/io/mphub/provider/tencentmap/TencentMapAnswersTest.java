package io.mphub.provider.tencentmap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.mphub.enrich.GeocodeOutcome;
import io.mphub.enrich.GeocodeResult;
import io.mphub.provider.HttpGeocoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each of Tencent's answers means for the event and for the calls after it. */
class TencentMapAnswersTest {

    // 23:59:59.5 in Beijing
    private static final Instant NOW = Instant.parse("2026-11-24T15:59:59.500Z");
    private final TencentMapAnswers answers = new TencentMapAnswers(Clock.fixed(NOW, ZoneOffset.UTC));

    private GeocodeResult read(String json) {
        return HttpGeocoder.read(answers, 200, json.getBytes(UTF_8));
    }

    private static String status(int status, String message) {
        return "{\"status\":" + status + ",\"message\":\"" + message + "\",\"request_id\":\"8e5f0a4c\"}";
    }

    @Test
    void status0GivesTheAddressAndAdcode() {
        GeocodeResult g = read("{\"status\":0,\"message\":\"Success\",\"result\":{\"location\":{\"lat\":39.9042,\"lng\":116.4074},"
                + "\"address\":\"北京市东城区东长安街\",\"formatted_addresses\":{\"recommend\":\"天安门\"},"
                + "\"address_component\":{\"nation\":\"中国\",\"province\":\"北京市\",\"city\":\"北京市\",\"district\":\"东城区\","
                + "\"street\":\"东长安街\"},\"ad_info\":{\"adcode\":\"110101\"}}}");
        assertThat(g).isEqualTo(GeocodeResult.found("北京市东城区东长安街", "110101"));
        assertThat(g.cacheable()).isTrue();
    }

    @Test
    void status0WithoutAddressFallsBackToTheRecommendedOneOrIsNotFound() {
        assertThat(read("{\"status\":0,\"result\":{\"address\":\"\",\"formatted_addresses\":{\"recommend\":\"天安门\"}}}"))
                .isEqualTo(GeocodeResult.found("天安门", null));
        GeocodeResult none = read("{\"status\":0,\"message\":\"Success\",\"result\":{\"address\":\"\"}}");
        assertThat(none.outcome()).isEqualTo(GeocodeOutcome.NOT_FOUND);
        assertThat(none.cacheable()).isTrue();
    }

    @Test
    void perSecondQuotaLastsUntilTheNextSecond() {
        GeocodeResult g = read(status(120, "此key每秒请求量已达到上限"));
        assertThat(g.outcome()).isEqualTo(GeocodeOutcome.OVER_QUOTA);
        assertThat(g.quotaUntil()).isEqualTo(Instant.parse("2026-11-24T16:00:00Z"));
        assertThat(g.detail()).contains("120", "per-second");
        assertThat(g.cacheable()).isFalse();
    }

    @Test
    void dailyQuotaLastsUntilMidnightInBeijing() {
        GeocodeResult g = read(status(121, "此key每日调用量已达到上限"));
        assertThat(g.outcome()).isEqualTo(GeocodeOutcome.OVER_QUOTA);
        assertThat(g.quotaUntil()).isEqualTo(Instant.parse("2026-11-24T16:00:00Z"));

        TencentMapAnswers justAfterMidnight = new TencentMapAnswers(
                Clock.fixed(Instant.parse("2026-11-24T16:00:00.001Z"), ZoneOffset.UTC));
        assertThat(HttpGeocoder.read(justAfterMidnight, 200, status(121, "").getBytes(UTF_8)).quotaUntil())
                .isEqualTo(Instant.parse("2026-11-25T16:00:00Z"));
    }

    @Test
    void ipQuotaLeavesTheWindowToTheHub() {
        GeocodeResult g = read(status(122, "ip访问超限"));
        assertThat(g.outcome()).isEqualTo(GeocodeOutcome.OVER_QUOTA);
        assertThat(g.quotaUntil()).isNull();
    }

    @ParameterizedTest(name = "status {0} -> {1}")
    @CsvSource({
        "111, MISCONFIGURED, mphub.tencentmap.sk",
        "190, MISCONFIGURED, mphub.tencentmap.key",
        "311, MISCONFIGURED, mphub.tencentmap.key",
        "301, MISCONFIGURED, mphub.tencentmap.key",
        "110, MISCONFIGURED, 签名校验",
        "112, MISCONFIGURED, 签名校验",
        "113, MISCONFIGURED, enable WebServiceAPI",
        "199, MISCONFIGURED, enable WebServiceAPI",
        "123, MISCONFIGURED, console",
        "347, NOT_FOUND, 347",
        "310, REJECTED, 310",
        "365, REJECTED, 365",
        "306, REJECTED, 306",
        "500, UNAVAILABLE, 500",
        "999, UNAVAILABLE, 999"})
    void statusesAreClassified(int status, GeocodeOutcome outcome, String detail) {
        GeocodeResult g = read(status(status, "message"));
        assertThat(g.outcome()).isEqualTo(outcome);
        assertThat(g.detail()).contains(detail);
        assertThat(g.address()).isNull();
    }

    @Test
    void anythingButATencentAnswerMeansTheServiceIsUnavailable() {
        assertThat(HttpGeocoder.read(answers, 502, "<html>Bad Gateway</html>".getBytes(UTF_8)))
                .isEqualTo(GeocodeResult.failed(GeocodeOutcome.UNAVAILABLE, "HTTP 502"));
        assertThat(HttpGeocoder.read(answers, 200, "<html>maintenance</html>".getBytes(UTF_8)).outcome()).isEqualTo(GeocodeOutcome.UNAVAILABLE);
        assertThat(HttpGeocoder.read(answers, 200, "{\"message\":\"no status\"}".getBytes(UTF_8)).outcome()).isEqualTo(GeocodeOutcome.UNAVAILABLE);
        assertThat(HttpGeocoder.read(answers, 200, new byte[0]).outcome()).isEqualTo(GeocodeOutcome.UNAVAILABLE);
    }

    @Test
    void onlyProviderFailuresCountAgainstTheProvider() {
        assertThat(read(status(111, "")).outcome().providerFailure()).isTrue();
        assertThat(read(status(500, "")).outcome().providerFailure()).isTrue();
        assertThat(read(status(310, "")).outcome().providerFailure()).isFalse();
        assertThat(read(status(347, "")).outcome().providerFailure()).isFalse();
        assertThat(read(status(120, "")).outcome().providerFailure()).isFalse();
    }
}
