package io.mphub.provider.amap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mphub.config.AllowedHosts;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Settings;
import io.mphub.provider.tencentmap.TencentMapSettings;
import org.junit.jupiter.api.Test;

/** mphub.geocoding.provider chooses which of AMap and Tencent Location Service is called; the chosen one needs its keys. */
class AmapSettingsTest {

    private static final AllowedHosts ALLOWED = new AllowedHosts(List.of("127.0.0.1", "restapi.amap.com",
            "apis.map.qq.com"));
    private static final String KEY = "3c5d0b7d6f7e4a0b9d1e2f3a4b5c6d7e";
    private static final String PRIVATE_KEY = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";

    private final Map<String, String> properties = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    private Settings.Reader reader() {
        return new Settings(k -> Optional.ofNullable(properties.get(k))).reader(problems);
    }

    @Test
    void byDefaultTencentIsChosenAndAmapIsNotCalledEvenWithItsKeys() {
        properties.put("mphub.amap.key", KEY);
        properties.put("mphub.amap.private-key", PRIVATE_KEY);

        assertThat(AmapSettings.read(reader(), ALLOWED)).isEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void chosenWithItsKeysItIsOnAndTencentIsOffEvenWithItsKey() {
        properties.put("mphub.geocoding.provider", "amap");
        properties.put("mphub.amap.key", KEY);
        properties.put("mphub.amap.private-key", PRIVATE_KEY);
        properties.put("mphub.tencentmap.key", "KEY12-34567-89ABC-DEFGH-IJKLM-NOPQR");

        AmapSettings amap = AmapSettings.read(reader(), ALLOWED).orElseThrow();
        assertThat(TencentMapSettings.read(reader(), ALLOWED)).isEmpty();
        assertThat(problems).isEmpty();
        assertThat(amap.url()).hasToString("https://restapi.amap.com");
        assertThat(amap.tuning().timeout().toMillis()).isEqualTo(800);
        assertThat(amap.tuning().decimals()).isEqualTo(4);
    }

    @Test
    void chosenWithoutItsKeysStartUpStopsNamingBothVariables() {
        properties.put("mphub.geocoding.provider", "AMAP");

        assertThat(AmapSettings.read(reader(), ALLOWED)).isEmpty();
        assertThat(problems).extracting(Problem::toString).satisfiesExactly(
                key -> assertThat(key).contains("mphub.amap.key", "MPHUB_AMAP_KEY"),
                privateKey -> assertThat(privateKey).contains("mphub.amap.private-key", "MPHUB_AMAP_PRIVATE_KEY",
                        "数字签名"));
    }

    @Test
    void anUnknownProviderIsReportedOnce() {
        properties.put("mphub.geocoding.provider", "baidu");

        assertThat(AmapSettings.read(reader(), ALLOWED)).isEmpty();
        assertThat(TencentMapSettings.read(reader(), ALLOWED)).isEmpty();
        assertThat(problems).singleElement().asString().contains("mphub.geocoding.provider", "tencentmap, amap");
    }

    @Test
    void aHostOffTheAllowedListStopsStartUp() {
        properties.put("mphub.geocoding.provider", "amap");
        properties.put("mphub.amap.key", KEY);
        properties.put("mphub.amap.private-key", PRIVATE_KEY);
        properties.put("mphub.amap.url", "https://elsewhere.example.com");

        assertThat(AmapSettings.read(reader(), ALLOWED)).isEmpty();
        assertThat(problems).singleElement().asString().contains("mphub.amap.url").doesNotContain(KEY, PRIVATE_KEY);
    }
}
