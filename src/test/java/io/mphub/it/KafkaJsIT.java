package io.mphub.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.testing.Events;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * KafkaJS, the most used Node.js client, reads what the hub writes with nothing installed but itself: the outbox
 * topics and the dead letters, with the default compression (none) and with gzip. KafkaJS decodes no other codec by
 * itself (LZ4, Snappy and Zstandard need a package), and without one it reads nothing. The reader is
 * {@code src/test/kafkajs/read.js}, installed from its lock file with npm.
 */
class KafkaJsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path reader;
    @RegisterExtension
    final HubFixture fixture = new HubFixture();

    @BeforeAll
    static void installKafkaJs() throws Exception {
        reader = Path.of("target", "kafkajs");
        Files.createDirectories(reader);
        for (String file : List.of("package.json", "package-lock.json", "read.js")) {
            Files.copy(Path.of("src", "test", "kafkajs", file), reader.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(reader.resolve("node_modules").resolve("kafkajs"))) {
            Run npm = run(reader, Duration.ofMinutes(3), "npm", "ci", "--no-audit", "--no-fund");
            assertThat(npm.code()).as("npm ci of KafkaJS (needs Node.js and npm: apt-get install nodejs npm; .ci/run"
                    + " installs them):%n%s", npm.output()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip"})
    void aKafkaJsConsumerReadsTheOutboxAndTheDeadLettersWithoutACodec(String compression) throws Exception {
        fixture.startHub(Map.of("mphub.kafka.compression", compression));
        String u = "oKafkaJsUser";
        fixture.kafka.publish("mp.events.behaviour", u, Events.structured("kjs-good", "mp.behaviour.page_view", u,
                Events.behaviour(u, "pages/index/index")));
        String bad = Events.structured("kjs-bad", "mp.order.created", u,
                Events.orderCreated(u, "KJS0001").replace("\"total\":1999", "\"total\":\"19.99\""));
        fixture.kafka.publish("mp.events.order", u, bad);
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.receiver("analytics").delivered().contains("kjs-good"));
        assertThat(fixture.kafka.read("mp.dlq.ingest", 1, Duration.ofSeconds(30))).hasSize(1);

        Run kafkajs = run(reader, Duration.ofSeconds(60), "node", "read.js", fixture.kafka.bootstrapServers(),
                "mp.out.analytics,mp.dlq.ingest", "2", "30000");

        assertThat(kafkajs.code()).as("KafkaJS read both records:%n%s", kafkajs.output()).isZero();
        List<JsonNode> records = new ArrayList<>();
        for (String line : kafkajs.output().lines().filter(l -> l.startsWith("{")).toList()) {
            records.add(JSON.readTree(line));
        }
        JsonNode out = records.stream().filter(r -> r.path("topic").asText().equals("mp.out.analytics"))
                .findFirst().orElseThrow();
        assertThat(out.path("key").asText()).isEqualTo(u);
        assertThat(out.path("headers").path("ce_id").asText()).isEqualTo("kjs-good");
        assertThat(JSON.readTree(out.path("value").asText()).path("id").asText()).isEqualTo("kjs-good");
        JsonNode dead = records.stream().filter(r -> r.path("topic").asText().equals("mp.dlq.ingest"))
                .findFirst().orElseThrow();
        assertThat(dead.path("value").asText()).isEqualTo(bad);
        assertThat(dead.path("headers").path("mphub.error.reason").asText()).isEqualTo("schema");
    }

    private record Run(int code, String output) {
    }

    private static Run run(Path dir, Duration timeout, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("mphub-kafkajs", ".out");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
        return new Run(process.isAlive() ? -1 : process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
