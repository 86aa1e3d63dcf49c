package io.mphub.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A contender in its own JVM (the hub, or the reference forwarder), its output in a log file. Ready when the
 * log shows {@code readyMarker}; stopped with SIGTERM.
 * <p>
 * Peak heap is read from the JVM's own GC log (the heap in use before each collection, and at exit), the same
 * way for every contender, so it does not depend on a contender's shutdown path. The contender's own
 * "peak heap used X MB" line (the hub logs one on a clean stop) is read too, when it made it to the log.
 */
final class Child implements AutoCloseable {

    /** Linux's USER_HZ, the unit of /proc's CPU times: 100 on every kernel the JDK runs on. */
    private static final long CLOCK_TICKS = 100;
    private static final Pattern LOGGED_PEAK = Pattern.compile("peak old-generation heap (\\d+) MB");
    // G1, Parallel and Serial alike: "Pause Young (Normal) (G1 Evacuation Pause) 23M->4M(256M) 3.456ms"
    private static final Pattern GC_PAUSE = Pattern.compile("(\\d+)M->(\\d+)M\\(\\d+M\\)");
    // G1 at exit (gc+heap+exit): " garbage-first heap   total 262144K, used 21504K [..."
    private static final Pattern EXIT_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

    /**
     * Heap in MB; -1 when unknown.
     *
     * @param peakMb the most heap in use, garbage included (before a GC, or at exit), from the GC log
     * @param afterGcMb the most heap still in use right after a GC: an upper bound of the live data
     * @param loggedPeakMb the contender's own "peak heap used" line
     */
    record Heap(long peakMb, long afterGcMb, long loggedPeakMb) {
    }

    private final Process process;
    private final Path log;
    private final Path gcLog;
    private final Thread killer;

    private Child(Process process, Path log, Path gcLog) {
        this.process = process;
        this.log = log;
        this.gcLog = gcLog;
        // If the benchmark itself is interrupted, take the child with it.
        this.killer = new Thread(process::destroyForcibly, "bench-child-killer");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * @param jvmAndArgs everything after {@code java}
     * @param env set on top of this environment, from which every MPHUB_*, CAMEL_* and KAFKA_* variable is
     *        removed first so that nothing of the caller's shell leaks into a contender
     */
    static Child start(List<String> jvmAndArgs, Map<String, String> env, Path workDir, Path log, String readyMarker,
            Duration timeout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path gcLog = log.resolveSibling(log.getFileName() + ".gc");
        Files.deleteIfExists(gcLog);
        command.add("-Xlog:gc,gc+heap+exit:file=" + gcLog);
        command.addAll(jvmAndArgs);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("MPHUB_") || k.startsWith("CAMEL_")
                || k.startsWith("KAFKA_"));
        builder.environment().putAll(env);
        Child child = new Child(builder.start(), log, gcLog);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!child.logText().contains(readyMarker)) {
            if (!child.process.isAlive()) {
                throw new IllegalStateException("contender exited with " + child.process.exitValue() + " before it was"
                        + " ready; see " + log + ":\n" + child.tail());
            }
            if (System.nanoTime() > deadline) {
                child.close();
                throw new IllegalStateException("contender not ready after " + timeout + "; see " + log);
            }
            Thread.sleep(50);
        }
        return child;
    }

    /** The CPU time the contender's process has used so far (all its threads, user and system). */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /**
     * CPU time used so far by its JIT compiler threads (HotSpot's "C1/C2 CompilerThread" threads, from Linux's
     * /proc; zero elsewhere): a contender still compiling in a window is not yet warm. At least that much: HotSpot
     * starts and stops compiler threads as it needs them, and one that ended takes its time with it.
     */
    Duration compilerCpu() {
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        long ticks = 0;
        try (var threads = Files.list(tasks)) {
            for (Path task : threads.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm"));
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                    }
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | UncheckedIOException noProc) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(ticks * 1000 / CLOCK_TICKS);
    }

    /** SIGTERM, wait for the exit, and read the peak heap. */
    Heap stop() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the benchmark itself is shutting down
        }
        long peak = -1;
        long afterGc = -1;
        if (Files.exists(gcLog)) {
            String gc = Files.readString(gcLog, StandardCharsets.UTF_8);
            for (String line : gc.lines().toList()) {
                Matcher m = GC_PAUSE.matcher(line);
                if (m.find()) {
                    peak = Math.max(peak, Long.parseLong(m.group(1)));
                    // Remark and Cleanup pauses collect nothing: only evacuations and full GCs say what survived.
                    if (line.contains("Pause Young") || line.contains("Pause Full")) {
                        afterGc = Math.max(afterGc, Long.parseLong(m.group(2)));
                    }
                }
            }
            for (Matcher m = EXIT_USED.matcher(gc); m.find();) {
                peak = Math.max(peak, Long.parseLong(m.group(1)) / 1024);
            }
        }
        Matcher logged = LOGGED_PEAK.matcher(logText());
        return new Heap(peak, afterGc, logged.find() ? Long.parseLong(logged.group(1)) : -1);
    }

    /** Whether the log shows an OutOfMemoryError. */
    boolean ranOutOfMemory() throws IOException {
        return logText().contains("OutOfMemoryError");
    }

    private String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private String tail() throws IOException {
        List<String> lines = logText().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
