package io.mphub.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.mphub.config.AllowedHosts;
import io.mphub.config.RouteFiles;
import io.mphub.config.Setting;
import io.mphub.config.SettingsTable.Section;
import io.mphub.deliver.DeliverySettings;
import io.mphub.enrich.ReverseGeocoding;
import io.mphub.event.IngestSettings;
import io.mphub.http.ExtraTrust;
import io.mphub.kafka.KafkaSettings;
import io.mphub.ops.ConsoleSettings;
import io.mphub.ops.Demo;
import io.mphub.ops.OpsSettings;
import io.mphub.privacy.PrivacySettings;
import io.mphub.provider.Provider;

/**
 * Every setting the hub reads, by capability, in the order of docs/configuration.md: what the settings table there is
 * generated from, and what application.properties is checked against.
 */
public final class SettingsCatalogue {

    private SettingsCatalogue() {
    }

    public static List<Section> sections() {
        List<Section> sections = new ArrayList<>();
        sections.add(new Section("Kafka", "", KafkaSettings.ALL));
        sections.add(new Section("Ingest", "", IngestSettings.ALL));
        sections.add(new Section("Delivery", "Defaults for every destination.", DeliverySettings.DEFAULTS));
        sections.add(new Section("Destinations", "One per file under `routes/destinations/`; `<name>` is the file's"
                + " name. Unset, each of these takes the delivery default above.", DeliverySettings.PER_DESTINATION));
        sections.add(new Section("Privacy", "Pseudonym keys and consent per destination are above, with its settings;"
                + " docs/privacy.md.", PrivacySettings.ALL));
        sections.add(new Section("Reverse geocoding", "Which provider adds addresses to events with a location; each"
                + " provider's own settings are in its section below. docs/providers/tencentmap.md, amap.md.",
                List.of(ReverseGeocoding.PROVIDER)));
        for (Provider provider : Providers.ALL) {
            sections.add(new Section("Provider: " + provider.title(), "", provider.settings()));
        }
        sections.add(new Section("HTTP and health", "", OpsSettings.ALL));
        sections.add(new Section("Operators' console", "", ConsoleSettings.ALL));
        sections.add(new Section("Security", "", Stream.concat(Stream.of(AllowedHosts.SETTING),
                ExtraTrust.ALL.stream()).toList()));
        sections.add(new Section("Route files", "", List.of(RouteFiles.DIR, RouteFiles.RELOAD)));
        sections.add(new Section("Demo", "", Demo.ALL));
        sections.add(new Section("Camel", "Camel's own settings that mphub chooses.", CamelSettings.ALL));
        return sections;
    }

    /** Every declared setting, once. */
    public static List<Setting<?>> all() {
        return sections().stream().flatMap(s -> s.settings().stream()).toList();
    }
}
