package io.mphub.provider;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Settings;
import io.mphub.deliver.Batching;
import io.mphub.deliver.Destination;
import io.mphub.deliver.RetryPolicy;
import io.mphub.privacy.DataContract;
import io.mphub.provider.segment.SegmentProvider;
import io.mphub.provider.sensorsdata.SensorsDataProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up checks of kinds sensorsdata and segment, and of their event-names files. */
class AnalyticsSettingsTest {

    private static final String WRITE_KEY = "wk-never-shown-7c1d";
    private static final String TOKEN = "sd-token-never-shown";

    @TempDir
    Path routes;
    private final Map<String, String> properties = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    private static Destination destination(String name, String kind, String url) {
        return new Destination(name, kind, URI.create(url), 10, Duration.ofSeconds(2),
                new RetryPolicy(1, Duration.ZERO, 1, Duration.ZERO), DataContract.WHOLE);
    }

    private Provider.Configured configure(Provider provider, Destination d) {
        Settings.Reader reader = new Settings(key -> Optional.ofNullable(properties.get(key))).reader(problems);
        return provider.configure(reader, List.of(d), new Provider.Setup(null, routes, routes));
    }

    @Test
    void theShippedEventNamesFilesAreValid() {
        List<Problem> found = new ArrayList<>();
        EventNames sensors = EventNamesFile.load(Path.of("routes/sensorsdata-events.yaml"),
                SensorsDataProvider.NAME_RULE, found).orElseThrow();
        EventNames segment = EventNamesFile.load(Path.of("routes/segment-events.yaml"), SegmentProvider.NAME_RULE,
                found).orElseThrow();

        assertThat(found).isEmpty();
        assertThat(sensors.of("mp.behaviour.page_view")).isEqualTo("$MPViewScreen");
        assertThat(sensors.of("mp.order.paid")).isEqualTo("order_paid");
        assertThat(segment.of("mp.order.paid")).isEqualTo("Order Completed");
    }

    @Test
    void aBadEventNamesFileIsRefusedAtItsLines() throws Exception {
        Path file = routes.resolve("sensorsdata-events.yaml");
        Files.writeString(file, "# names\nmp.order.paid: 2paid\nmp.nothing: x\nmp.behaviour.tap: $MPNoSuchPreset\n"
                + "mp.order.created: order_created\n");
        properties.put("mphub.destinations.analytics.token", TOKEN);

        configure(new SensorsDataProvider(), destination("analytics", "sensorsdata", "https://sa.example.com/sa"));

        assertThat(problems).extracting(Problem::where).containsExactly(file + ":2", file + ":3", file + ":4");
        assertThat(problems.get(0).what()).contains("2paid");
        assertThat(problems.get(2).what()).contains("preset");
    }

    @Test
    void aNamedEventNamesFileMustExist() {
        properties.put("mphub.segment.event-names", routes.resolve("nowhere.yaml").toString());
        properties.put("mphub.destinations.segment.write-key", WRITE_KEY);

        configure(new SegmentProvider(), destination("segment", "segment", "https://api.segment.io"));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo("mphub.segment.event-names (MPHUB_SEGMENT_EVENT_NAMES)");
            assertThat(p.what()).contains("does not exist");
        });
    }

    @Test
    void withoutAFileEveryTypeGoesByItsShortName() {
        properties.put("mphub.destinations.segment.write-key", WRITE_KEY);

        configure(new SegmentProvider(), destination("segment", "segment", "https://api.segment.io"));

        assertThat(problems).isEmpty();
    }

    @Test
    void segmentWithoutAWriteKeyNamesTheSetting() {
        configure(new SegmentProvider(), destination("segment", "segment", "https://api.segment.io"));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo("mphub.destinations.segment.write-key (MPHUB_DESTINATIONS_SEGMENT_WRITE_KEY)");
            assertThat(p.fix()).contains("write key", "environment");
        });
    }

    @Test
    void aSensorsDataTokenInTheUrlIsRefusedWithoutShowingIt() {
        configure(new SensorsDataProvider(), destination("analytics", "sensorsdata",
                "https://sa.example.com/sa?project=p&token=" + TOKEN));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo("mphub.destinations.analytics.url (MPHUB_DESTINATIONS_ANALYTICS_URL)");
            assertThat(p.fix()).contains("MPHUB_DESTINATIONS_ANALYTICS_TOKEN");
            assertThat(p.toString()).doesNotContain(TOKEN);
        });
    }

    @Test
    void aSensorsDataProjectMustBeAProjectName() {
        properties.put("mphub.destinations.analytics.project", "prod&x=1");

        configure(new SensorsDataProvider(), destination("analytics", "sensorsdata", "https://sa.example.com/sa"));

        assertThat(problems).extracting(Problem::where)
                .containsExactly("mphub.destinations.analytics.project (MPHUB_DESTINATIONS_ANALYTICS_PROJECT)");
    }

    @Test
    void bothKindsBatchAlways() {
        assertThat(new SensorsDataProvider().kinds()).singleElement()
                .satisfies(k -> assertThat(k.batching()).isEqualTo(Batching.ALWAYS));
        assertThat(new SegmentProvider().kinds()).singleElement().satisfies(k -> {
            assertThat(k.batching()).isEqualTo(Batching.ALWAYS);
            assertThat(k.defaultUrl()).contains(URI.create("https://api.segment.io"));
        });
    }
}
