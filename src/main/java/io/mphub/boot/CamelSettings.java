package io.mphub.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mphub.config.Setting;
import io.mphub.config.Settings;

/**
 * The settings of Camel itself that mphub chooses (camel-main reads them from application.properties): declared here
 * for the documentation, checked at start-up, and settable by environment variable as every mphub setting is. (Camel
 * reads CAMEL_COMPONENT_KAFKA_POLL_TIMEOUT_MS as camel.component.kafka.poll.timeout.ms, which is no Kafka option:
 * {@link #fromEnvironment} gives it the key it means.)
 */
final class CamelSettings {

    static final Setting<String> NAME = Setting.text("camel.main.name").defaultValue("mphub")
            .description("The Camel context's name.");
    static final Setting<Integer> SHUTDOWN_TIMEOUT = Setting.integer("camel.main.shutdown-timeout").defaultValue(10)
            .range(1, 3600).description("SIGTERM: seconds allowed for in-flight work before the hub stops anyway.");
    static final Setting<String> VALUE_DESERIALIZER = Setting.text("camel.component.kafka.value-deserializer")
            .defaultValue("org.apache.kafka.common.serialization.ByteArrayDeserializer")
            .description("Events are read as bytes: the original bytes are what a dead letter keeps.");
    static final Setting<String> AUTO_OFFSET_RESET = Setting.oneOf("camel.component.kafka.auto-offset-reset",
            "earliest", "latest", "none").defaultValue("earliest")
            .description("A new consumer group reads from the beginning, so nothing published before start is missed.");
    static final Setting<Duration> POLL_TIMEOUT = Setting.millis("camel.component.kafka.poll-timeout-ms")
            .defaultValue(Duration.ofMillis(100)).description("The longest a consumer's poll waits when there is nothing"
                    + " to read (a poll returns as soon as records arrive). A stop pauses each consumer in turn, and"
                    + " camel-kafka's pause waits for the consumer's current poll: short polls keep a stop of some twenty"
                    + " consumers within a few seconds.");
    static final Setting<Integer> SHUTDOWN_TIMEOUT_MS = Setting.integer("camel.component.kafka.shutdown-timeout")
            .defaultValue(5000).range(0, 600_000).description("Milliseconds a Kafka consumer gets to stop.");
    static final Setting<Integer> MAX_POLL_INTERVAL = Setting.integer("camel.component.kafka.max-poll-interval-ms")
            .defaultValue(1_800_000).range(1, Integer.MAX_VALUE).description("The longest time between polls before"
                    + " Kafka drops a consumer from its group: a destination's retries (backoff, Retry-After) stay well"
                    + " inside it.");
    static final Setting<Integer> MAX_PARTITION_FETCH = Setting.integer("camel.component.kafka.max-partition-fetch-bytes")
            .defaultValue(262_144).range(1, Integer.MAX_VALUE).description("What a consumer buffers per partition ahead of"
                    + " processing (Kafka's default, 1 MiB a partition and 50 MiB a fetch, lets the hub's ~20 consumers"
                    + " hold far more than they can work through, and crowd a 256 MB heap). A larger record is still"
                    + " fetched.");
    static final Setting<Integer> FETCH_MAX = Setting.integer("camel.component.kafka.fetch-max-bytes")
            .defaultValue(1_048_576).range(1, Integer.MAX_VALUE).description("What one fetch may return.");
    static final Setting<Integer> SESSION_TIMEOUT = Setting.integer("camel.component.kafka.session-timeout-ms")
            .defaultValue(4000).range(1, Integer.MAX_VALUE).description("A crashed replica's partitions go to the"
                    + " others once its consumers have been silent this long, then within about a heartbeat (Kafka's"
                    + " default is 45 s). The brokers must allow it (group.min.session.timeout.ms, 6000 by default;"
                    + " the embedded broker allows 2000): start-up keeps it within their bounds and logs it when it"
                    + " had to.");
    static final Setting<Integer> HEARTBEAT = Setting.integer("camel.component.kafka.heartbeat-interval-ms")
            .defaultValue(1000).range(1, Integer.MAX_VALUE).description("The consumers' heartbeat: a rebalance reaches"
                    + " each consumer within it. At most a third of the session timeout.");
    static final List<Setting<?>> ALL = List.of(NAME, SHUTDOWN_TIMEOUT, VALUE_DESERIALIZER, AUTO_OFFSET_RESET,
            POLL_TIMEOUT, SHUTDOWN_TIMEOUT_MS, MAX_POLL_INTERVAL, MAX_PARTITION_FETCH, FETCH_MAX, SESSION_TIMEOUT,
            HEARTBEAT);

    private CamelSettings() {
    }

    /** Checks each one (Camel would otherwise fail later, naming no environment variable). */
    static void check(Settings.Reader settings) {
        ALL.forEach(settings::get);
    }

    /** The Camel settings the environment sets by their documented names, as properties camel-main reads. */
    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> set = new LinkedHashMap<>();
        for (Setting<?> s : ALL) {
            String value = environment.get(s.envName());
            if (value != null && !value.isBlank()) {
                set.put(s.key(), value);
            }
        }
        return set;
    }
}
