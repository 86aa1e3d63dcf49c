package io.mphub.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TencentMapSignerTest {

    // the vector published for Tencent Location Service
    private static final String SK = "SWvT26ypwq5Nwb5RvS8cLi6NSoH8HlJX";
    private static final String PATH = "/ws/geocoder/v1";
    // computed independently: printf '%s' "$PATH?address=北京市海淀区 彩和坊路&key=…$SK" | md5sum
    private static final String ADDRESS_SIG = "d7b9a8c67c996f11703f84ddb4fedbe5";

    private final TencentMapSigner signer = new TencentMapSigner(SK);

    @Test
    void sigMatchesPublishedVectorWhateverTheParameterOrder() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("location", "28.7033487,115.8660847");
        params.put("key", "5Q5BZ-5EVWJ-SN5F3-K6QBZ-B3FAO-RVBWM");

        assertThat(signer.sig(PATH, params)).isEqualTo("90da272bfa19122547298e2b0bcc0e50");
    }

    @Test
    void signedPathAndQueryEncodesValuesAndAppendsSig() {
        Map<String, String> params = Map.of(
                "location", "28.7033487,115.8660847",
                "key", "5Q5BZ-5EVWJ-SN5F3-K6QBZ-B3FAO-RVBWM");

        assertThat(signer.signedPathAndQuery(PATH, params)).isEqualTo("/ws/geocoder/v1"
                + "?key=5Q5BZ-5EVWJ-SN5F3-K6QBZ-B3FAO-RVBWM&location=28.7033487%2C115.8660847"
                + "&sig=90da272bfa19122547298e2b0bcc0e50");
    }

    @Test
    void sigIsOverRawValuesWhileTheQueryIsPercentEncoded() {
        Map<String, String> params = Map.of("address", "北京市海淀区 彩和坊路", "key", "5Q5BZ-5EVWJ-SN5F3-K6QBZ-B3FAO-RVBWM");

        assertThat(signer.signedPathAndQuery(PATH, params)).isEqualTo("/ws/geocoder/v1"
                + "?address=%E5%8C%97%E4%BA%AC%E5%B8%82%E6%B5%B7%E6%B7%80%E5%8C%BA%20%E5%BD%A9%E5%92%8C%E5%9D%8A%E8%B7%AF"
                + "&key=5Q5BZ-5EVWJ-SN5F3-K6QBZ-B3FAO-RVBWM&sig=" + ADDRESS_SIG);
    }

    @Test
    void sigDependsOnThePath() {
        Map<String, String> params = Map.of("location", "28.7033487,115.8660847", "key", "5Q5BZ-5EVWJ-SN5F3-K6QBZ-B3FAO-RVBWM");

        assertThat(signer.sig("/ws/geocoder/v1/", params)).isNotEqualTo("90da272bfa19122547298e2b0bcc0e50");
    }

    @Test
    void refusesASigAmongTheParameters() {
        assertThatThrownBy(() -> signer.sig(PATH, Map.of("key", "K", "sig", "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
