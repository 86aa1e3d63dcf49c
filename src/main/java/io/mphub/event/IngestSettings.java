package io.mphub.event;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.mphub.config.Setting;
import io.mphub.config.Settings;

/**
 * Ingest and the event contract ({@code mphub.ingest.*}, {@code mphub.schemas.dir}, {@code mphub.instance-id}).
 * routes/ingest.camel.yaml reads the topics, group and concurrency as property placeholders; they are checked here.
 *
 * @param instanceId the {@code mphubinstance} attribute; empty: process id and host name
 */
public record IngestSettings(List<String> topics, String groupId, int concurrency, Path schemasDir,
        Optional<String> instanceId) {

    public static final Setting<List<String>> TOPICS = Setting.list("mphub.ingest.topics")
            .defaultValue(List.of("mp.events.login", "mp.events.order", "mp.events.behaviour", "mp.results"))
            .check(t -> !t.isEmpty(), "names no topic")
            .description("Input topics, comma-separated. Routing is by event type, never by topic. mp.results is read"
                    + " too: the events the hub publishes itself are routed like any other, by the fan-out table.");
    public static final Setting<String> GROUP_ID = Setting.text("mphub.ingest.group-id").defaultValue("mphub.ingest")
            .description("The consumer group of the input topics.");
    public static final Setting<Integer> CONCURRENCY = Setting.integer("mphub.ingest.concurrency").defaultValue(2)
            .range(1, 64).description("Ingest's consumer threads (at most the input topics' partitions).");
    public static final Setting<String> SCHEMAS_DIR = Setting.text("mphub.schemas.dir").defaultValue("schemas")
            .description("The event contract: one JSON Schema per event type, and cloudevent.json for the envelope.");
    public static final Setting<String> INSTANCE_ID = Setting.text("mphub.instance-id")
            .description("This instance's id in the mphubinstance attribute. Not set: process id and host name.");

    public static final List<Setting<?>> ALL = List.of(TOPICS, GROUP_ID, CONCURRENCY, SCHEMAS_DIR, INSTANCE_ID);

    public static IngestSettings read(Settings.Reader settings) {
        return new IngestSettings(settings.get(TOPICS), settings.get(GROUP_ID), settings.get(CONCURRENCY),
                Path.of(settings.get(SCHEMAS_DIR)), settings.optional(INSTANCE_ID));
    }
}
