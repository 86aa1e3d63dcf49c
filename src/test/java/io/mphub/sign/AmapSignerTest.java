package io.mphub.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AmapSignerTest {

    private static final String SIG = "8ef9f6f6cb0ee4c746a2d0e4df8d3167";

    @Test
    void sigIsAmapsOwnExampleWhateverTheParameterOrder() {
        // AMap's example: a=23, b=12, d=48, f=8, c=67, private key bbbbb -> MD5("a=23&b=12&c=67&d=48&f=8bbbbb");
        // the digest computed independently (python3 hashlib.md5)
        Map<String, String> params = new LinkedHashMap<>();
        params.put("a", "23");
        params.put("b", "12");
        params.put("d", "48");
        params.put("f", "8");
        params.put("c", "67");

        assertThat(new AmapSigner("bbbbb").sig(params)).isEqualTo("a89e8c2266d888860c46672d77d069f3");
    }

    @Test
    void theQuerySentEncodesValuesButTheSigCoversThemRaw() {
        AmapSigner signer = new AmapSigner("bbbbb");
        Map<String, String> params = Map.of("location", "116.4074,39.9042", "key", "k+1");

        // MD5("key=k+1&location=116.4074,39.9042bbbbb"), computed independently (python3 hashlib.md5)
        assertThat(signer.signedQuery(params)).isEqualTo("key=k%2B1&location=116.4074%2C39.9042&sig=" + SIG);
    }
}
