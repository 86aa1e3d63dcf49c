package io.mphub.provider.amap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;

import io.mphub.enrich.GeocodeOutcome;
import io.mphub.enrich.GeocodeResult;
import io.mphub.provider.HttpGeocoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** AMap's answers as it gives them: empty values as [], errors as status "0" with an infocode. */
class AmapAnswersTest {

    private final AmapAnswers answers = new AmapAnswers(Clock.systemUTC());

    private GeocodeResult read(String json) {
        return HttpGeocoder.read(answers, 200, json.getBytes(UTF_8));
    }

    @Test
    void aMunicipalityHasNoCityButItsAddressAndAdcodeAreTaken() {
        assertThat(read("""
                {"status":"1","info":"OK","infocode":"10000","regeocode":{"formatted_address":"北京市海淀区燕园街道北京大学",
                "addressComponent":{"city":[],"province":"北京市","adcode":"110108","district":"海淀区","township":"燕园街道"}}}
                """)).isEqualTo(GeocodeResult.found("北京市海淀区燕园街道北京大学", "110108"));
    }

    @Test
    void thePointWithNoAddressIsNotFound() {
        assertThat(read("""
                {"status":"1","info":"OK","infocode":"10000","regeocode":{"formatted_address":[],
                "addressComponent":{"city":[],"province":[],"adcode":[],"district":[]}}}
                """).outcome()).isEqualTo(GeocodeOutcome.NOT_FOUND);
    }

    @ParameterizedTest
    @CsvSource({"10001,misconfigured", "10002,misconfigured", "10005,misconfigured", "10007,misconfigured",
            "10009,misconfigured", "10013,misconfigured", "10026,misconfigured", "10003,over_quota",
            "10004,over_quota", "10010,over_quota", "10020,over_quota", "10044,over_quota", "20000,rejected",
            "20011,rejected", "10016,unavailable", "20003,unavailable", "30001,unavailable", "19999,unavailable"})
    void eachInfocodeHasItsOutcome(int infocode, String marker) {
        GeocodeResult g = read("{\"status\":\"0\",\"info\":\"X\",\"infocode\":\"" + infocode + "\"}");

        assertThat(g.outcome().marker()).isEqualTo(marker);
        assertThat(g.detail()).contains(String.valueOf(infocode));
    }

    @Test
    void anHttpErrorOrAnAnswerWithoutInfocodeIsUnavailable() {
        assertThat(HttpGeocoder.read(answers, 502, new byte[0])).isEqualTo(GeocodeResult.failed(GeocodeOutcome.UNAVAILABLE, "HTTP 502"));
        assertThat(read("<html></html>").outcome()).isEqualTo(GeocodeOutcome.UNAVAILABLE);
        assertThat(read("{\"status\":\"1\"}").outcome()).isEqualTo(GeocodeOutcome.UNAVAILABLE);
    }
}
