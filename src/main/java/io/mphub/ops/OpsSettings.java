package io.mphub.ops;

import java.time.Duration;
import java.util.List;

import io.mphub.config.Setting;
import io.mphub.config.Settings;

/**
 * The hub's HTTP port ({@code mphub.http.*}) and its health checks ({@code mphub.health.*}).
 *
 * @param port 0: any free port
 */
public record OpsSettings(String host, int port, Duration checkInterval, Duration kafkaDownAfter,
        Duration stuckAfter) {

    public static final Setting<String> HTTP_HOST = Setting.text("mphub.http.host").defaultValue("0.0.0.0")
            .description("The address of the hub's HTTP port.");
    public static final Setting<Integer> HTTP_PORT = Setting.integer("mphub.http.port").defaultValue(8088)
            .range(0, 65535).fix("choose a free port, or 0 for any")
            .description("The hub's HTTP port: providers' callbacks under /callbacks/<name>, /metrics (Prometheus),"
                    + " /health/live and /health/ready. 0 picks a free port.");
    public static final Setting<Duration> CHECK_INTERVAL = Setting.millis("mphub.health.check-interval-ms")
            .defaultValue(Duration.ofSeconds(5)).check(d -> !d.isZero(), "must be above 0")
            .description("How often the hub asks Kafka whether it answers, and how far behind each of its consumer"
                    + " groups is.");
    public static final Setting<Duration> KAFKA_DOWN_AFTER = Setting.millis("mphub.health.kafka-down-after-ms")
            .defaultValue(Duration.ofSeconds(15))
            .description("/health/ready fails once Kafka has not answered for this long (the log says so once when it"
                    + " stops answering).");
    public static final Setting<Duration> STUCK_AFTER = Setting.millis("mphub.health.stuck-after-ms")
            .defaultValue(Duration.ofSeconds(30))
            .description("/health/ready fails once a partition has been unable to get past a record (the hub's"
                    + " infrastructure failed on it, and it is read again) for this long.");

    public static final List<Setting<?>> ALL = List.of(HTTP_HOST, HTTP_PORT, CHECK_INTERVAL, KAFKA_DOWN_AFTER,
            STUCK_AFTER);

    public static OpsSettings read(Settings.Reader settings) {
        return new OpsSettings(settings.get(HTTP_HOST), settings.get(HTTP_PORT), settings.get(CHECK_INTERVAL),
                settings.get(KAFKA_DOWN_AFTER), settings.get(STUCK_AFTER));
    }
}
