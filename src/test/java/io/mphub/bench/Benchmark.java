package io.mphub.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.mphub.http.PooledHttpClient;
import io.mphub.kafka.EmbeddedKafka;
import io.mphub.kafka.KafkaSettings;
import io.mphub.kafka.Topics;
import io.mphub.testing.HubProcess;
import io.mphub.testing.PrivacyKeys;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.LoggerFactory;

/**
 * mphub's benchmark (see docs/benchmark.md): throughput and produce-to-received latency of the hub, run as
 * {@code java -Xmx256m -jar target/mphub.jar}, against a reference forwarder without Camel, all on one machine
 * with a real Kafka broker and a local HTTP sink in this JVM. Prints figures; asserts nothing.
 * <p>
 * Each scenario gets a fresh broker with empty topics, so no contender inherits another's log or offsets. In
 * each, N events are pre-loaded and the contender is started (throughput: N over first to last receipt), then,
 * in the same warm process, events are produced at a steady rate (latency: produce to received, per event).
 */
public final class Benchmark {

    private static final String REFERENCE_TOPIC = "bench.ref";
    private static final String BENCH_DESTINATION = "bench";
    /** Scenario (c)'s destination, delivering in batches (template deliver-batch). */
    private static final String BATCH_DESTINATION = "batch";
    static final String RAW_READ = "c-raw";
    static final String CEILING = "ceiling";
    /** Reference and hub in alternating pairs, so warm-up and the machine's drift favour neither. */
    static final String DEFAULT_SCENARIOS = "ceiling,a-ref,a-hub,a-ref,a-hub,a-hub-ingest,b-fanout,c-raw,c-hub,"
            + "c-hub-ingest,d-ref,d-hub,d-ref,d-hub";

    /** Settings: system properties bench.*, which the Maven profile passes through. */
    record Options(long n, long warmupN, int concurrency, int partitions, int rate, int latencySeconds,
            int warmupSeconds, String xmx, int sinkThreads, Duration stall, List<String> scenarios, Path project,
            Path out, long farN, Duration farLatency, long batchN, long batchWarmupN) {

        /** Events measured in a scenario's throughput phase, and events before them that warm its contender up. */
        long n(String scenario) {
            return scenario.startsWith("d-") ? farN : scenario.startsWith("c-") ? batchN : n;
        }

        long warmupN(String scenario) {
            return scenario.startsWith("d-") ? 0 : scenario.startsWith("c-") ? batchWarmupN : warmupN;
        }

        /** The hub's jar: target/mphub.jar, or -Dbench.hub.jar (another build, for an A/B run; its lib/ beside it). */
        Path hubJar() {
            String other = System.getProperty("bench.hub.jar", "").trim();
            return other.isEmpty() ? project.resolve("target/mphub.jar") : Path.of(other).toAbsolutePath();
        }

        static Options read() {
            Path project = Path.of(System.getProperty("bench.project.dir", System.getProperty("user.dir")))
                    .toAbsolutePath();
            return new Options(Long.getLong("bench.n", 200_000), Long.getLong("bench.warmup.n", 300_000),
                    Integer.getInteger("bench.concurrency", 4),
                    Integer.getInteger("bench.partitions", 8), Integer.getInteger("bench.latency.rate", 1_000),
                    Integer.getInteger("bench.latency.seconds", 20),
                    Integer.getInteger("bench.latency.warmup-seconds", 10), System.getProperty("bench.xmx", "256m"),
                    Integer.getInteger("bench.sink.threads", 4),
                    Duration.ofSeconds(Integer.getInteger("bench.stall.seconds", 30)),
                    List.of(System.getProperty("bench.scenarios", DEFAULT_SCENARIOS).split(",")),
                    project, project.resolve("target/bench"), Long.getLong("bench.far.n", 10_000),
                    Duration.ofMillis(Long.getLong("bench.far.latency-ms", 50)),
                    Long.getLong("bench.batch.n", 1_000_000), Long.getLong("bench.batch.warmup.n", 500_000));
        }
    }

    /** The event for index i and the sink paths it must reach. */
    record Generated(ProducerRecord<String, byte[]> record, List<String> paths) {
    }

    interface Source {
        Generated next(String id, long i, long sentMicros);
    }

    interface Launcher {
        Child start(String bootstrap, Path log) throws Exception;
    }

    record Scenario(String key, String what, List<String> topics, Set<String> paths, Source source,
            Launcher launcher) {
    }

    /** What one phase measured. */
    record Phase(long events, long deliveries, boolean complete, double seconds, Latencies.Summary latencies,
            String problems, boolean signaturesGood, long inFlightPeak, long outOfOrder,
            Latencies.Summary oneByOne, Map<String, Double> p99ByPath) {

        double eventsPerSecond() {
            return events / seconds;
        }

        double deliveriesPerSecond() {
            return deliveries / seconds;
        }
    }

    /**
     * @param latency null for the ceiling, which has no latency phase
     * @param heap null for the ceiling, which runs in this JVM
     */
    record Result(Scenario scenario, Phase throughput, Phase latency, Child.Heap heap, boolean outOfMemory) {
    }

    private static final AtomicLong RUNS = new AtomicLong();

    private final Options options;
    private final Sink sink;
    private final Path benchRoutes;
    private final Path batchRoutes;

    private Benchmark(Options options, Sink sink, Path benchRoutes, Path batchRoutes) {
        this.options = options;
        this.sink = sink;
        this.benchRoutes = benchRoutes;
        this.batchRoutes = batchRoutes;
    }

    public static void main(String[] args) throws Exception {
        // The broker and the producer live here; their start-up chatter would bury the figures.
        for (String name : List.of("org.apache.kafka", "kafka", "state.change.logger", "io.mphub")) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.ERROR);
        }
        Options o = Options.read();
        Path jar = o.hubJar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (mvn -Pbench verify -DskipTests does)");
        }
        Files.createDirectories(o.out());
        Path routes = oneDestinationRoutes(o.project().resolve("routes"), BENCH_DESTINATION, "deliver", PRIVACY);
        Path batchRoutes = oneDestinationRoutes(o.project().resolve("routes"), BATCH_DESTINATION, "deliver-batch",
                PRIVACY);
        List<Result> results = new ArrayList<>();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        try (Sink sink = Sink.start(o.sinkThreads())) {
            Benchmark bench = new Benchmark(o, sink, routes, batchRoutes);
            for (String key : o.scenarios()) {
                if (key.trim().equals(CEILING)) {
                    results.add(bench.ceiling());
                    continue;
                }
                if (key.trim().equals(RAW_READ)) {
                    results.add(bench.rawRead());
                    continue;
                }
                Scenario scenario = bench.scenario(key.trim());
                System.out.printf("%n== %s: %s%n", scenario.key(), scenario.what());
                results.add(bench.run(scenario));
            }
        } finally {
            deleteRecursively(routes);
            deleteRecursively(batchRoutes);
        }
        new Report(o, loadBefore, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
                .print(results);
        System.exit(0);
    }

    private Scenario scenario(String key) {
        switch (key) {
            case "a-ref": {
                String secret = sink.register("/ref");
                return new Scenario(key, "(a) reference forwarder, no Camel: kafka-clients consumers + JDK HttpClient"
                        + " + HMAC, " + options.concurrency() + " threads, reading pre-filled topic " + REFERENCE_TOPIC,
                        List.of(REFERENCE_TOPIC), Set.of("/ref"),
                        (id, i, sent) -> new Generated(BenchEvents.outboxRecord(REFERENCE_TOPIC, id, i, sent),
                                List.of("/ref")),
                        (bootstrap, log) -> Child.start(List.of("-Xmx" + options.xmx(), "-cp",
                                System.getProperty("java.class.path"), ReferenceForwarder.class.getName(), bootstrap,
                                REFERENCE_TOPIC, String.valueOf(options.concurrency()), sink.url("/ref"), secret),
                                Map.of(), options.project(), log, "reference started", Duration.ofSeconds(60)));
            }
            case "a-hub":
            case "a-hub-ingest": {
                boolean ingest = key.equals("a-hub-ingest");
                String out = "mp.out." + BENCH_DESTINATION;
                String path = "/" + BENCH_DESTINATION;
                Map<String, String> secrets = Map.of(BENCH_DESTINATION, sink.register(path));
                return new Scenario(key, ingest
                        ? "(a) hub, full path to one destination: mp.events.behaviour -> ingest (CloudEvent read,"
                                + " schema check, enrich) -> dispatch -> " + out + " -> signed webhook"
                        : "(a) hub, delivery stage to one destination: pre-filled outbox topic " + out
                                + " -> users in flight -> data contract -> sign -> POST (the work of the reference, and more)",
                        List.of(ingest ? "mp.events.behaviour" : out), Set.of(path),
                        (id, i, sent) -> new Generated(ingest ? BenchEvents.behaviourInput(id, i, sent)
                                : BenchEvents.outboxRecord(out, id, i, sent), List.of(path)),
                        (bootstrap, log) -> hub(benchRoutes, secrets, bootstrap, log));
            }
            case "b-fanout": {
                Map<String, String> secrets = new LinkedHashMap<>();
                BenchEvents.FAN_OUT.values().stream().flatMap(List::stream).distinct().sorted()
                        .forEach(d -> secrets.put(d, sink.register("/" + d)));
                SplittableRandom random = new SplittableRandom(20_260_101L);
                Set<String> paths = Set.copyOf(secrets.keySet().stream().map(d -> "/" + d).toList());
                return new Scenario(key, "(b) hub with the real routes/: a mixed stream on mp.events.{login,order,"
                        + "behaviour} through the default fan-out to " + secrets.keySet(),
                        List.of("mp.events.login", "mp.events.order", "mp.events.behaviour"), paths,
                        (id, i, sent) -> {
                            BenchEvents.Event e = BenchEvents.mixed(id, i, sent, random);
                            return new Generated(e.record(),
                                    BenchEvents.FAN_OUT.get(e.type()).stream().map(d -> "/" + d).toList());
                        },
                        (bootstrap, log) -> hub(options.project().resolve("routes"), secrets, bootstrap, log));
            }
            case "c-hub":
            case "c-hub-ingest": {
                boolean ingest = key.equals("c-hub-ingest");
                String out = "mp.out." + BATCH_DESTINATION;
                String path = "/" + BATCH_DESTINATION;
                Map<String, String> secrets = Map.of(BATCH_DESTINATION, sink.register(path));
                return new Scenario(key, ingest
                        ? "(c') hub, full path in batches: mp.events.behaviour -> ingest -> dispatch -> " + out
                                + " -> signed CloudEvents batches (template deliver-batch, its default limits)"
                        : "(c) hub, batched delivery: pre-filled outbox topic " + out + " -> signed CloudEvents"
                                + " batches (template deliver-batch, its default limits)",
                        List.of(ingest ? "mp.events.behaviour" : out), Set.of(path),
                        (id, i, sent) -> new Generated(ingest ? BenchEvents.behaviourInput(id, i, sent)
                                : BenchEvents.outboxRecord(out, id, i, sent), List.of(path)),
                        (bootstrap, log) -> hub(batchRoutes, secrets, bootstrap, log));
            }
            case "d-ref": {
                String path = "/ref-far";
                String secret = sink.register(path, options.farLatency());
                return new Scenario(key, "(d) reference forwarder at its defaults (" + options.concurrency()
                        + " threads, one request each) against a sink that answers after "
                        + options.farLatency().toMillis() + " ms; " + options.farN() + " events of 1,000 users",
                        List.of(REFERENCE_TOPIC), Set.of(path),
                        (id, i, sent) -> new Generated(BenchEvents.outboxRecord(REFERENCE_TOPIC, id, i, sent),
                                List.of(path)),
                        (bootstrap, log) -> Child.start(List.of("-Xmx" + options.xmx(), "-cp",
                                System.getProperty("java.class.path"), ReferenceForwarder.class.getName(), bootstrap,
                                REFERENCE_TOPIC, String.valueOf(options.concurrency()), sink.url(path), secret),
                                Map.of(), options.project(), log, "reference started", Duration.ofSeconds(60)));
            }
            case "d-hub": {
                String out = "mp.out." + BENCH_DESTINATION;
                String path = "/" + BENCH_DESTINATION;
                Map<String, String> secrets = Map.of(BENCH_DESTINATION, sink.register(path, options.farLatency()));
                return new Scenario(key, "(d) hub at its defaults, delivery stage to one destination whose receiver"
                        + " answers after " + options.farLatency().toMillis() + " ms: pre-filled " + out + ", "
                        + options.farN() + " events of 1,000 users", List.of(out), Set.of(path),
                        (id, i, sent) -> new Generated(BenchEvents.outboxRecord(out, id, i, sent), List.of(path)),
                        (bootstrap, log) -> hub(benchRoutes, secrets, bootstrap, log));
            }
            default:
                throw new IllegalArgumentException("unknown scenario '" + key + "'; known: ceiling, a-ref, a-hub,"
                        + " a-hub-ingest, b-fanout, c-raw, c-hub, c-hub-ingest, d-ref, d-hub");
        }
    }

    /**
     * {@code -Dbench.privacy=shipped}: the benchmark's destinations carry the shipped analytics data contract
     * (pseudonyms, a masked phone, coarsened IP and location, consent scope analytics with users without a record
     * delivered, so the consent check runs for every request); {@code none} (the default): they receive every field.
     */
    static final boolean PRIVACY = System.getProperty("bench.privacy", "none").equals("shipped");

    /** The hub as operators run it, pointed at the bench broker, each destination at its sink path. */
    private Child hub(Path routesDir, Map<String, String> secrets, String bootstrap, Path log) throws Exception {
        Map<String, String> env = HubProcess.baseEnv(bootstrap);
        env.put("MPHUB_ROUTES_DIR", routesDir.toString());
        // Consumer threads of a destination that delivers in batches (c), as the reference has threads. A destination
        // that sends one event per request keeps its default events in flight (mphub.delivery.in-flight), no rate limit.
        env.put("MPHUB_DELIVERY_CONCURRENCY", String.valueOf(options.concurrency()));
        env.put("MPHUB_KAFKA_PARTITIONS", String.valueOf(options.partitions()));
        env.put("MPHUB_INSTANCE_ID", "bench");
        secrets.forEach((name, secret) -> {
            String prefix = "MPHUB_DESTINATIONS_" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
            env.put(prefix + "URL", sink.url("/" + name));
            env.put(prefix + "SECRET", secret);
            env.put(prefix + "PSEUDONYM_KEY", PrivacyKeys.pseudonymKey(name));
            // The benchmark's users have no consent record: the shipped analytics file (b-fanout) and, with
            // bench.privacy=shipped, the benchmark's own destinations deliver them, so consent is checked and passes.
            if (name.equals("analytics") || PRIVACY && (name.equals(BENCH_DESTINATION)
                    || name.equals(BATCH_DESTINATION))) {
                env.put(prefix + "CONSENT_WITHOUT_RECORD", "deliver");
            }
        });
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + options.xmx()));
        // For profiling the hub alone, e.g. -Dbench.hub.jvm-args=-XX:StartFlightRecording=filename=hub.jfr
        String extra = System.getProperty("bench.hub.jvm-args", "").trim();
        if (!extra.isEmpty()) {
            jvm.addAll(List.of(extra.split("\\s+")));
        }
        jvm.addAll(List.of("-jar", options.hubJar().toString()));
        return Child.start(jvm, env, options.project(), log, "mphub started:", Duration.ofSeconds(120));
    }

    private Result run(Scenario scenario) throws Exception {
        Path dir = Files.createTempDirectory("mphub-bench-kafka");
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir, EmbeddedKafka.freePort(), EmbeddedKafka.freePort(),
                options.partitions());
                KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                // Every topic with the record limit the hub gives its own output; the hub finds them there.
                Topics.ensure(admin, List.of(), scenario.topics(), options.partitions(), (short) 1,
                        KafkaSettings.MAX_RECORD_BYTES.defaultValue());
            }

            boolean far = scenario.key().startsWith("d-");
            long n = options.n(scenario.key());
            // The tag tells the runs of one scenario apart: a pair's second run counts nothing of the first.
            String tag = scenario.key() + "-" + RUNS.incrementAndGet() + "-t-";
            // One user's events come on one topic, in order, except in b-fanout: there they come on three topics,
            // which ingest reads each at its own pace.
            boolean ordered = !scenario.key().startsWith("b-");
            // Before the N measured events, W more on the same partitions, so the window measures a warm contender:
            // the JIT compiles the hub's paths (and the reference's) in their first seconds. Each partition is read
            // in order, so the window opens once W events' worth of deliveries have arrived.
            long warmup = options.warmupN(scenario.key());
            Sink.Run load = sink.begin(tag, scenario.paths(), ordered);
            Map<String, Long> all = produce(producer, scenario.source(), tag, warmup + n, 0, new Latencies());
            long total = all.values().stream().mapToLong(Long::longValue).sum();
            load.expect(all, Math.round((double) total * warmup / (warmup + n)));
            System.out.printf("pre-loaded %,d + %,d events (%,d deliveries expected, the first %,d not measured);"
                    + " starting the contender%n", warmup, n, load.expected(), load.unmeasured());
            Path log = options.out().resolve(scenario.key() + "-" + RUNS.get() + ".log");
            try (Child child = scenario.launcher().start(broker.bootstrapServers(), log)) {
                AtomicReference<Cpu> windowCpu = new AtomicReference<>();
                Phase throughput = phase(load, n, () -> windowCpu.set(cpu(child)));
                System.out.printf("throughput: %,.0f events/s (%,d in %.2f s), in flight at most %d%s%n",
                        throughput.eventsPerSecond(), throughput.events(), throughput.seconds(),
                        throughput.inFlightPeak(), note(throughput));
                if (windowCpu.get() == null || !throughput.complete()) {
                    System.out.println("CPU in the throughput window: not measured (" + (windowCpu.get() == null
                            ? "the window was shorter than the 20 ms the sink is checked at)" : "incomplete phase)"));
                } else {
                    // Who was short of CPU in the window: the contender, or the broker and sink it shares the cores with.
                    Cpu used = cpu(child).since(windowCpu.get());
                    System.out.printf("CPU in the throughput window: contender %.0f ms per s (%.0f us per event; its"
                            + " JIT compiler %.0f ms per s), benchmark JVM (broker, sink, producer) %.0f ms per s%n",
                            used.contenderPerSecond(), used.contenderMicrosPer(throughput.events()),
                            used.compilerPerSecond(), used.ownPerSecond());
                }
                if (far) {
                    // Latency against a far receiver is its answer time; the p99 target is for (a) and (b).
                    Child.Heap heap = child.stop();
                    return new Result(scenario, throughput, null, heap, child.ranOutOfMemory());
                }

                // The throughput phase warms the paths of large polls; a steady rate takes others (a few records per
                // poll), which the JIT compiles during its first seconds. Those seconds are not measured.
                String warm = scenario.key() + "-" + RUNS.get() + "-w-";
                long warmCount = (long) options.rate() * options.warmupSeconds();
                if (warmCount > 0) {
                    Sink.Run warmRun = sink.begin(warm, scenario.paths(), ordered);
                    warmRun.expect(produce(producer, scenario.source(), warm, warmCount, options.rate(),
                            new Latencies()), 0);
                    phase(warmRun, warmCount);
                }
                tag = scenario.key() + "-" + RUNS.get() + "-l-";
                long count = (long) options.rate() * options.latencySeconds();
                Sink.Run paced = sink.begin(tag, scenario.paths(), ordered);
                Latencies acks = new Latencies();
                Cpu startCpu = cpu(child);
                paced.expect(produce(producer, scenario.source(), tag, count, options.rate(), acks), 0);
                Phase latency = phase(paced, count);
                Cpu cpu = cpu(child).since(startCpu);
                System.out.printf("CPU in the latency phase: contender %.0f ms per s (%.0f us per event), benchmark JVM"
                        + " (broker, sink, producer) %.0f ms per s, of %d cores%n", cpu.contenderPerSecond(),
                        cpu.contenderMicrosPer(count), cpu.ownPerSecond(), Runtime.getRuntime().availableProcessors());
                Latencies.Summary ack = acks.summary();
                System.out.printf("latency at %,d events/s: p50 %.1f ms, p99 %.1f ms, max %.1f ms%s (of which"
                        + " producer send to broker ack: p50 %.1f ms, p99 %.1f ms)%n", options.rate(),
                        latency.latencies().percentileMillis(50), latency.latencies().percentileMillis(99),
                        latency.latencies().maxMillis(), note(latency), ack.percentileMillis(50),
                        ack.percentileMillis(99));

                Child.Heap heap = child.stop();
                System.out.printf("stopped; peak heap %d MB, %d MB after GC (GC log), %s (log: %s)%n",
                        heap.peakMb(), heap.afterGcMb(), heap.loggedPeakMb() < 0 ? "no peak line in its own log"
                                : heap.loggedPeakMb() + " MB in its own log", options.project().relativize(log));
                return new Result(scenario, throughput, latency, heap, child.ranOutOfMemory());
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    /**
     * The HTTP leg alone, for information: {@code concurrency} threads in this JVM POST N signed events straight
     * to the sink with the reference's code (one shared JDK HttpClient), no Kafka. What per-event POSTs to this
     * sink can reach on this machine; neither contender can beat it by much.
     */
    private Result ceiling() throws Exception {
        String secret = sink.register("/" + CEILING);
        Scenario scenario = new Scenario(CEILING, "for information: signed POSTs straight to the sink, no Kafka, "
                + options.concurrency() + " threads in the benchmark JVM", List.of(), Set.of("/" + CEILING), null,
                null);
        System.out.printf("%n== %s: %s%n", scenario.key(), scenario.what());
        String tag = CEILING + "-t-";
        Sink.Run run = sink.begin(tag, scenario.paths(), true);
        // Warmed up as the contenders are: the first bench.warmup.n requests are not measured.
        long all = options.warmupN() + options.n();
        run.expect(Map.of("/" + CEILING, all), options.warmupN());
        URI url = URI.create(sink.url("/" + CEILING));
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        // -Dbench.ceiling.client=pooled: the hub's client (io.mphub.http.PooledHttpClient) instead of the JDK's.
        HttpClient http = System.getProperty("bench.ceiling.client", "jdk").equals("pooled")
                ? new PooledHttpClient(Duration.ofSeconds(10), options.concurrency())
                : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong next = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < options.concurrency(); t++) {
            Thread thread = new Thread(() -> {
                for (long i = next.getAndIncrement(); i < all; i = next.getAndIncrement()) {
                    byte[] body = BenchEvents.outboxRecord(CEILING, tag + i, i, BenchEvents.nowMicros()).value();
                    ReferenceForwarder.post(http, url, key, tag + i, body);
                }
            }, "ceiling-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Phase throughput = phase(run, options.n());
        System.out.printf("throughput: %,.0f events/s (%,d in %.2f s)%s%n", throughput.eventsPerSecond(),
                throughput.events(), throughput.seconds(), note(throughput));
        return new Result(scenario, throughput, null, null, false);
    }

    /**
     * (c)'s yardstick: how fast a plain kafka-clients consumer reads the same records (outbox page views, as
     * {@code c-hub} reads them) on this broker and machine, in the benchmark JVM, doing nothing with them.
     */
    private Result rawRead() throws Exception {
        String out = "mp.out." + BATCH_DESTINATION;
        Scenario scenario = new Scenario(RAW_READ, "(c) yardstick: one plain kafka-clients consumer reads the pre-filled"
                + " records of " + out + " and does nothing with them", List.of(out), Set.of(), null, null);
        System.out.printf("%n== %s: %s%n", scenario.key(), scenario.what());
        Path dir = Files.createTempDirectory("mphub-bench-kafka");
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir, EmbeddedKafka.freePort(), EmbeddedKafka.freePort(),
                options.partitions());
                KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()))) {
                Topics.ensure(admin, List.of(), scenario.topics(), options.partitions(), (short) 1,
                        KafkaSettings.MAX_RECORD_BYTES.defaultValue());
            }
            produce(producer, (id, i, sent) -> new Generated(BenchEvents.outboxRecord(out, id, i, sent), List.of()),
                    RAW_READ + "-t-", options.n(RAW_READ), 0, new Latencies());
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500), new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                // Every partition assigned (no group to join), from the start: the window is the reading alone,
                // from the first fetch to the last record, as c-hub's is from its first delivery to its last.
                List<TopicPartition> partitions = consumer.partitionsFor(out).stream()
                        .map(p -> new TopicPartition(out, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                long read = 0;
                long first = System.nanoTime();
                long last = first;
                long deadline = first + options.stall().toNanos();
                while (read < options.n(RAW_READ) && System.nanoTime() < deadline) {
                    int got = consumer.poll(Duration.ofMillis(200)).count();
                    if (got > 0) {
                        last = System.nanoTime();
                        read += got;
                        deadline = last + options.stall().toNanos();
                    }
                }
                double seconds = (last - first) / 1e9;
                boolean complete = read >= options.n(RAW_READ);
                Phase throughput = new Phase(options.n(RAW_READ), read, complete, seconds, new Latencies().summary(),
                        complete ? "" : "INCOMPLETE (read " + read + ")", true, 0, 0, new Latencies().summary(),
                        Map.of());
                System.out.printf("read: %,.0f records/s (%,d in %.2f s)%s%n", throughput.eventsPerSecond(), read,
                        seconds, note(throughput));
                return new Result(scenario, throughput, null, null, false);
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    /** CPU time used so far by the contender and by this JVM (the broker, the sink and the producer), at a time. */
    record Cpu(long nanoTime, Duration contender, Duration own, Duration compiler) {
        Cpu since(Cpu start) {
            return new Cpu(nanoTime - start.nanoTime, contender.minus(start.contender), own.minus(start.own),
                    compiler.minus(start.compiler));
        }

        /** At least this much (a compiler thread that ended in the window takes its time with it). */
        double compilerPerSecond() {
            return Math.max(0, compiler.toNanos()) / 1e6 / (nanoTime / 1e9);
        }

        double contenderPerSecond() {
            return contender.toNanos() / 1e6 / (nanoTime / 1e9);
        }

        double ownPerSecond() {
            return own.toNanos() / 1e6 / (nanoTime / 1e9);
        }

        double contenderMicrosPer(long events) {
            return contender.toNanos() / 1e3 / events;
        }
    }

    private static Cpu cpu(Child child) {
        return new Cpu(System.nanoTime(), child.cpu(),
                ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO), child.compilerCpu());
    }

    private Phase phase(Sink.Run run, long events) throws InterruptedException {
        return phase(run, events, () -> { });
    }

    private Phase phase(Sink.Run run, long events, Runnable windowOpened) throws InterruptedException {
        boolean complete = run.await(options.stall(), windowOpened);
        String problems = String.join("; ", Stream.of(complete ? "" : "INCOMPLETE (missing: " + run.shortfall() + ")",
                run.anomalies()).filter(s -> !s.isEmpty()).toList());
        return new Phase(events, run.receivedInWindow(), complete, run.windowSeconds(), run.latencies(), problems,
                run.signaturesGood(), run.inFlightPeak(), run.outOfOrder(), run.oneByOneLatencies(),
                run.oneByOneP99ByPath());
    }

    private static String note(Phase p) {
        return p.problems().isEmpty() ? "" : " [" + p.problems() + "]";
    }

    /**
     * Produces {@code count} events, as fast as possible ({@code rate} 0) or paced at {@code rate} per second,
     * each stamped with its send time just before it is handed to the producer. {@code acks} gets the time from
     * there to the broker's acknowledgement: the part of the latency that is Kafka and this harness.
     *
     * @return expected deliveries per sink path
     */
    private static Map<String, Long> produce(KafkaProducer<String, byte[]> producer, Source source, String tag,
            long count, int rate, Latencies acks) {
        Map<String, Long> expected = new HashMap<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        double interval = rate > 0 ? 1e9 / rate : 0;
        for (long i = 0; i < count; i++) {
            if (rate > 0) {
                long due = start + (long) (i * interval);
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
            }
            long sent = BenchEvents.nowMicros();
            Generated g = source.next(tag + i, i, sent);
            producer.send(g.record(), (meta, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else {
                    acks.record(BenchEvents.nowMicros() - sent);
                }
            });
            g.paths().forEach(p -> expected.merge(p, 1L, Long::sum));
        }
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("Kafka refused a benchmark event", failure.get());
        }
        return expected;
    }

    /**
     * Not idempotent: right after a topic is created, KRaft may answer NOT_LEADER_OR_FOLLOWER to the first batch
     * while later ones land, and an idempotent producer then retries that first batch forever
     * (OUT_OF_ORDER_SEQUENCE_NUMBER). One request in flight keeps the order instead.
     */
    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.CLIENT_ID_CONFIG, "bench-producer"), new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * A copy of routes/ with one destination, {@code bench}, and the fan-out table sending every type to it: the
     * same ingest, dispatch and delivery template the hub ships, only the destination list differs.
     */
    static Path oneDestinationRoutes(Path routes, String destination, String template, boolean privacy)
            throws IOException {
        Path copy = Files.createTempDirectory("mphub-bench-routes");
        try (Stream<Path> files = Files.walk(routes)) {
            for (Path f : files.toList()) {
                Path target = copy.resolve(routes.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (!routes.relativize(f).startsWith("destinations")) {
                    Files.copy(f, target);
                }
            }
        }
        Files.createDirectories(copy.resolve("destinations"));
        Files.writeString(copy.resolve("destinations/" + destination + ".camel.yaml"), """
                # The benchmark's one destination.
                - templatedRoute:
                    routeTemplateRef: %s
                    routeId: deliver-%s
                    parameters:
                      - name: destination
                        value: %s
                """.formatted(template, destination, destination) + (privacy ? shippedContract(routes) : ""));
        Path dispatch = copy.resolve("dispatch.camel.yaml");
        Matcher m = Pattern.compile("(name: destinations\\s*\\n\\s*constant: ).*").matcher(Files.readString(dispatch));
        if (!m.find()) {
            throw new IllegalStateException("no destination list found in " + dispatch);
        }
        Files.writeString(dispatch, m.replaceAll("$1" + destination));
        return copy;
    }

    /** The data contract parameters of the shipped analytics file, as they stand there. */
    private static String shippedContract(Path routes) throws IOException {
        String analytics = Files.readString(routes.resolve("destinations/analytics.camel.yaml"));
        return analytics.substring(analytics.indexOf("      - name: pseudonymize"));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
