package io.mphub.provider.tencentmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mphub.config.AllowedHosts;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Settings;
import io.mphub.testing.TencentMapSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reverse geocoding is off without a key; with one, a bad setting stops start-up naming the property and the fix. */
class TencentMapSettingsTest {

    private static final AllowedHosts ALLOWED = new AllowedHosts(List.of("localhost", "127.0.0.1", "apis.map.qq.com"));
    private static final String KEY = TencentMapSandbox.newKey();
    private static final String SK = "kGq3Zr8WvT26ypwq5Nwb5RvS8cLi6NSo";

    private final Map<String, String> properties = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    private Optional<TencentMapSettings> read() {
        return TencentMapSettings.read(new Settings(k -> Optional.ofNullable(properties.get(k))).reader(problems),
                ALLOWED);
    }

    private Problem onlyProblem() {
        assertThat(read()).isEmpty();
        assertThat(problems).hasSize(1);
        Problem p = problems.get(0);
        assertThat(p.toString()).doesNotContain(KEY, SK);
        return p;
    }

    private void withKeyAndSk() {
        properties.put("mphub.tencentmap.key", KEY);
        properties.put("mphub.tencentmap.sk", SK);
    }

    @Test
    void withoutAKeyReverseGeocodingIsOffWhateverElseIsSet() {
        properties.put("mphub.tencentmap.sk", SK);
        properties.put("mphub.tencentmap.url", "https://elsewhere.example.com");
        properties.put("mphub.tencentmap.key", "  ");

        assertThat(read()).isEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void keyAndSkAloneGiveTheDocumentedDefaults() {
        withKeyAndSk();

        TencentMapSettings s = read().orElseThrow();

        assertThat(problems).isEmpty();
        assertThat(s.url()).hasToString("https://apis.map.qq.com");
        assertThat(s.key().value()).isEqualTo(KEY);
        assertThat(s.sk().value()).isEqualTo(SK);
        assertThat(s.tuning().timeout()).isEqualTo(Duration.ofMillis(800));
        assertThat(s.tuning().maxEntries()).isEqualTo(50_000);
        assertThat(s.tuning().ttl()).isEqualTo(Duration.ofDays(1));
        assertThat(s.tuning().decimals()).isEqualTo(4);
        assertThat(s.tuning().pause()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.toString()).doesNotContain(KEY, SK);
    }

    @Test
    void keyWithoutSkStopsStartUp() {
        properties.put("mphub.tencentmap.key", KEY);

        Problem p = onlyProblem();

        assertThat(p.where()).isEqualTo("mphub.tencentmap.sk (MPHUB_TENCENTMAP_SK)");
        assertThat(p.what()).contains("mphub.tencentmap.key is set");
        assertThat(p.fix()).contains("MPHUB_TENCENTMAP_SK", "secrets file", "unset MPHUB_TENCENTMAP_KEY");
    }

    @Test
    void hostNotOnTheAllowListStopsStartUp() {
        withKeyAndSk();
        properties.put("mphub.tencentmap.url", "https://apis.map.example.net");

        Problem p = onlyProblem();

        assertThat(p.where()).isEqualTo("mphub.tencentmap.url (MPHUB_TENCENTMAP_URL)");
        assertThat(p.what()).contains("apis.map.example.net", "mphub.security.allowed-hosts");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/tencent", "https://apis.map.qq.com/ws/geocoder/v1",
        "https://apis.map.qq.com?key=x"})
    void urlWithAPathOrQueryStopsStartUp(String url) {
        withKeyAndSk();
        properties.put("mphub.tencentmap.url", url);

        assertThat(onlyProblem().what()).contains("scheme, host and port only");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://apis.map.qq.com", "apis.map.qq.com", "https://"})
    void urlThatIsNotHttpStopsStartUp(String url) {
        withKeyAndSk();
        properties.put("mphub.tencentmap.url", url);

        assertThat(onlyProblem().where()).startsWith("mphub.tencentmap.url");
    }

    @Test
    void sandboxOnLocalhostIsAccepted() {
        withKeyAndSk();
        properties.put("mphub.tencentmap.url", "http://127.0.0.1:18080/");

        assertThat(read().orElseThrow().url().getPort()).isEqualTo(18080);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "timeout-ms, 0", "timeout-ms, 10001",
        "cache.max-entries, 0",
        "cache.ttl-ms, 0",
        "cache.decimals, 0", "cache.decimals, 7",
        "pause-ms, -1"})
    void valuesOutOfRangeStopStartUp(String setting, String value) {
        withKeyAndSk();
        properties.put("mphub.tencentmap." + setting, value);

        Problem p = onlyProblem();

        assertThat(p.where()).startsWith("mphub.tencentmap." + setting + " (MPHUB_TENCENTMAP_");
        assertThat(p.fix()).startsWith("set it to e.g.");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        properties.put("mphub.tencentmap.key", KEY);
        properties.put("mphub.tencentmap.url", "https://apis.map.example.net");
        properties.put("mphub.tencentmap.timeout-ms", "0");

        assertThat(read()).isEmpty();
        assertThat(problems).extracting(Problem::where).containsExactly("mphub.tencentmap.sk (MPHUB_TENCENTMAP_SK)",
                "mphub.tencentmap.url (MPHUB_TENCENTMAP_URL)", "mphub.tencentmap.timeout-ms (MPHUB_TENCENTMAP_TIMEOUT_MS)");
    }
}
