package io.mphub.provider.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.config.ConfigurationException.Problem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** routes/cloud-functions.yaml: what it maps, and every problem at its file and line. */
class CloudFunctionsFileTest {

    private static final String A = "wx00000000000000a1";
    private static final String B = "wx00000000000000b2";
    private static EventFields fields;

    @TempDir
    Path dir;
    private final List<Problem> problems = new ArrayList<>();

    @BeforeAll
    static void schemas() throws Exception {
        fields = EventFields.load(Path.of("schemas"), new ObjectMapper());
    }

    private Optional<CloudFunctions> load(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("cloud-functions.yaml"), yaml);
        return CloudFunctionsFile.load(file, fields, Set.of(A, B), problems);
    }

    @Test
    void oneEnvForEveryAppAndAFunctionPerType() throws Exception {
        CloudFunctions f = load("""
                env: prod-3g5x1a
                functions:
                  mp.order.paid: onOrderPaid
                  mp.order.shipped: {name: onOrderShipped, publishResult: true}
                  mp.behaviour.page_view: onPageView
                """).orElseThrow();

        assertThat(problems).isEmpty();
        assertThat(f.envOf(A)).isEqualTo("prod-3g5x1a");
        assertThat(f.envOf(B)).isEqualTo("prod-3g5x1a");
        assertThat(f.forType("mp.order.paid")).contains(new CloudFunctions.Function("onOrderPaid", false));
        assertThat(f.forType("mp.order.shipped")).contains(new CloudFunctions.Function("onOrderShipped", true));
        assertThat(f.forType("mp.behaviour.page_view")).isPresent();
        assertThat(f.forType("mp.user.login")).isEmpty();
    }

    @Test
    void anEnvPerApp() throws Exception {
        CloudFunctions f = load("env: {" + A + ": env-a, " + B + ": env-b}\nfunctions:\n  mp.order.paid: f\n")
                .orElseThrow();

        assertThat(f.envOf(A)).isEqualTo("env-a");
        assertThat(f.envOf(B)).isEqualTo("env-b");
    }

    @Test
    void everyProblemIsReportedAtItsLine() throws Exception {
        assertThat(load("""
                env: {%s: env-a, wx00000000000000c3: env-c}
                functions:
                  mp.order.pay: onOrderPaid
                  mp.order.shipped: {name: "on shipped", publish: true}
                  mp.order.paid: REPLACE-WITH-YOUR-FUNCTION-NAME
                """.formatted(A))).isEmpty();

        assertThat(problems).extracting(Problem::toString).satisfiesExactlyInAnyOrder(
                p -> assertThat(p).contains("cloud-functions.yaml:1", "wx00000000000000c3", "mphub.wechat.app-ids"),
                p -> assertThat(p).contains("cloud-functions.yaml:3", "'mp.order.pay' is not an event type"),
                p -> assertThat(p).contains("cloud-functions.yaml:4", "unknown key 'publish'"),
                p -> assertThat(p).contains("cloud-functions.yaml:4", "'on shipped'"),
                p -> assertThat(p).contains("cloud-functions.yaml:5", "REPLACE-WITH-YOUR-FUNCTION-NAME"),
                p -> assertThat(p).contains("cloud-functions.yaml:1", "no cloud environment for app " + B));
    }

    @Test
    void theShippedFileStopsStartUpUntilItsPlaceholdersAreReplaced() {
        assertThat(CloudFunctionsFile.load(Path.of("routes", "cloud-functions.yaml"), fields, Set.of(A), problems))
                .isEmpty();

        assertThat(problems).extracting(Problem::toString).satisfiesExactlyInAnyOrder(
                p -> assertThat(p).contains("routes/cloud-functions.yaml:8", "REPLACE-WITH-YOUR-CLOUD-ENV-ID", "环境 ID"),
                p -> assertThat(p).contains("routes/cloud-functions.yaml:13", "REPLACE-WITH-YOUR-FUNCTION-NAME"));
    }
}
