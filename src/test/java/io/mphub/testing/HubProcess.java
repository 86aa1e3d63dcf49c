package io.mphub.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * The packaged hub ({@code java -jar target/mphub.jar}) as a child process, configured by environment as
 * docs/configuration.md tells a user, its output in a log file.
 */
public final class HubProcess implements AutoCloseable {

    private static final Pattern HTTP_PORT = Pattern.compile("HTTP listener on port (\\d+)");
    private static final Pattern CONSOLE_PORT = Pattern.compile("Operators' console on http://[^:]+:(\\d+)/");

    private final Process process;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();

    private HubProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * The environment of a hub on {@code bootstrapServers} with every destination at its receiver: no demo, any free
     * HTTP port, no live reload, short retry backoffs.
     */
    public static Map<String, String> env(String bootstrapServers, Map<String, Receiver> receivers) {
        Map<String, String> env = baseEnv(bootstrapServers);
        env.put("MPHUB_DELIVERY_RETRY_INITIAL_DELAY_MS", "50");
        env.put("MPHUB_DELIVERY_RETRY_MAX_DELAY_MS", "200");
        receivers.forEach((name, r) -> {
            String prefix = "MPHUB_DESTINATIONS_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
            env.put(prefix + "_URL", r.url());
            env.put(prefix + "_SECRET", r.secret());
        });
        env.putAll(PrivacyKeys.env(receivers.keySet()));
        env.put("MPHUB_DESTINATIONS_ANALYTICS_CONSENT_WITHOUT_RECORD", "deliver");
        return env;
    }

    /** A hub on {@code bootstrapServers}: no demo, any free HTTP and console ports, no live reload. */
    public static Map<String, String> baseEnv(String bootstrapServers) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("MPHUB_DEMO_ENABLED", "false");
        env.put("MPHUB_HTTP_PORT", "0");
        env.put("MPHUB_CONSOLE_PORT", "0");
        env.put("MPHUB_ROUTES_RELOAD_ENABLED", "false");
        env.putAll(PrivacyKeys.env(java.util.List.of("analytics")));
        return env;
    }

    /** Starts the hub and waits until it has started or exited. */
    public static HubProcess start(Map<String, String> env, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", "target/mphub.jar")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        HubProcess hub = new HubProcess(builder.start(), log);
        await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100)).until(() -> !hub.process.isAlive()
                || hub.log().contains("mphub started"));
        return hub;
    }

    public Process process() {
        return process;
    }

    /** Everything the hub printed so far. */
    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The port its HTTP listener bound (tests start it on port 0). */
    public int httpPort() throws IOException {
        return port(HTTP_PORT, "HTTP");
    }

    /** The port its operators' console bound (tests start it on port 0). */
    public int consolePort() throws IOException {
        return port(CONSOLE_PORT, "console");
    }

    private int port(Pattern said, String what) throws IOException {
        Matcher m = said.matcher(log());
        if (!m.find()) {
            throw new IllegalStateException("the hub has not said its " + what + " port");
        }
        return Integer.parseInt(m.group(1));
    }

    /** GET a path of the hub's HTTP port. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM, then waits for the process to end. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
