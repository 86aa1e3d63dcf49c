package io.mphub.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One of the packaged hub's commands ({@code java -jar target/mphub.jar <command> …}) run to its end, as a user runs it. */
public final class JarCommand {

    /** What one run printed, its exit code, and how long it took. */
    public record Run(int exit, String out, String err, Duration elapsed) {
        public String output() {
            return out + err;
        }
    }

    private JarCommand() {
    }

    /** Runs it with {@code env} and none of the caller's mphub or Kafka settings; its output goes through {@code temp}. */
    public static Run run(Path temp, Map<String, String> env, String command, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(temp, command, ".out");
        Path err = Files.createTempFile(temp, command, ".err");
        long start = System.nanoTime();
        Process process = start(env, out, err, command, args);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as(command + " finished").isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Starts it as {@link #run} does, without waiting: for a test that kills it. */
    public static Process start(Map<String, String> env, Path out, Path err, String command, String... args)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> line = new ArrayList<>(List.of(java, "-jar", "target/mphub.jar", command));
        line.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(line).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("MPHUB_") || k.startsWith("KAFKA_"));
        builder.environment().putAll(env);
        return builder.start();
    }
}
