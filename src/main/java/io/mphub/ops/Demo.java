package io.mphub.ops;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.deliver.DeliverySettings;
import io.mphub.kafka.KafkaClients;
import io.mphub.privacy.PrivacySettings;
import io.mphub.provider.webhook.WebhookBatchKind;
import io.mphub.provider.webhook.WebhookProvider;
import io.mphub.sign.StandardWebhooksSigner;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The out-of-the-box demo: local sandbox receivers, one per destination, that verify every Standard Webhooks
 * signature and print what arrived where; a publisher of sample events (and, every fourth round, one that breaks
 * the contract); and a tail of the dead-letter topics. Secrets are made for the run and never printed.
 */
public final class Demo implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("demo");
    /** Makes event ids unique across runs (the event id is the dedup key end to end). */
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    /** Makes waybill numbers unique across runs, so a carrier's sandbox sees a new parcel each time. */
    private static final String RUN_DIGITS = String.format("%06d", System.currentTimeMillis() / 1000 % 1_000_000);
    private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]+)\"");

    public static final Setting<String> ENABLED = Setting.oneOf("mphub.demo.enabled", "auto", "true", "false",
                    "yes", "no", "on", "off")
            .defaultValue("auto")
            .description("auto: the demo runs on the embedded broker when no destination has a URL or a provider kind"
                    + " (the out-of-the-box experience), never on a real cluster; true or false (yes/no, on/off) forces it. It starts"
                    + " local sandbox receivers that verify every signature and print what arrived where, and publishes"
                    + " sample events (and one bad one) every interval.");
    public static final Setting<Integer> PORT = Setting.integer("mphub.demo.port").defaultValue(8089).range(0, 65535)
            .description("The demo's sandbox receivers, on 127.0.0.1.");
    public static final Setting<Duration> INTERVAL = Setting.millis("mphub.demo.interval-ms")
            .defaultValue(Duration.ofSeconds(3)).check(d -> !d.isZero(), "must be above 0")
            .description("The demo: interval between rounds of sample events.");

    public static final List<Setting<?>> ALL = List.of(ENABLED, PORT, INTERVAL);

    private final HttpServer server;
    private final ExecutorService serverThreads;
    private final Map<String, String> overrides;
    private final Duration interval;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private ScheduledExecutorService publisher;
    private KafkaProducer<String, String> producer;

    private Demo(HttpServer server, ExecutorService serverThreads, Map<String, String> overrides, Duration interval) {
        this.server = server;
        this.serverThreads = serverThreads;
        this.overrides = overrides;
        this.interval = interval;
    }

    /**
     * Whether the demo runs: {@code auto} on the embedded broker when no destination has a URL or a provider kind (a
     * destination given either is meant for real), never on a real cluster; {@code true} or {@code false} force it.
     */
    public static boolean runs(Settings.Reader settings, boolean embeddedBroker, List<String> destinations) {
        String mode = settings.get(ENABLED);
        if (!mode.equals("auto")) {
            return Set.of("true", "yes", "on").contains(mode);
        }
        return embeddedBroker && destinations.stream().noneMatch(d -> settings.isSet(DeliverySettings.URL.forName(d))
                || !settings.get(DeliverySettings.KIND.forName(d)).equals(WebhookProvider.KIND));
    }

    /** The webhook destinations without a URL or a secret: the ones the demo points at its sandbox receivers. */
    public static List<String> sandboxed(Settings.Reader settings, List<String> destinations) {
        return destinations.stream()
                .filter(d -> settings.get(DeliverySettings.KIND.forName(d)).equals(WebhookProvider.KIND))
                .filter(d -> !settings.isSet(DeliverySettings.URL.forName(d))
                        || !settings.isSet(WebhookProvider.SECRET.forName(d)))
                .toList();
    }

    /**
     * The settings that point each of {@code sandboxed} at its receiver on the sandbox's {@code port}: its URL, and a
     * secret and a pseudonym key made for this run; and the audit key, when none is set.
     */
    public static Map<String, String> overrides(Settings.Reader settings, List<String> sandboxed, int port) {
        SecureRandom random = new SecureRandom();
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String d : sandboxed) {
            overrides.put(DeliverySettings.URL.forName(d).key(), "http://127.0.0.1:" + port + "/" + d);
            overrides.put(WebhookProvider.SECRET.forName(d).key(), "whsec_" + key(random));
            if (!settings.isSet(PrivacySettings.PSEUDONYM_KEY.forName(d))) {
                overrides.put(PrivacySettings.PSEUDONYM_KEY.forName(d).key(), key(random));
            }
        }
        if (!settings.isSet(PrivacySettings.AUDIT_KEY)) {
            overrides.put(PrivacySettings.AUDIT_KEY.key(), key(random));
        }
        return overrides;
    }

    /** 32 random bytes in base64: a key made for this run. */
    private static String key(SecureRandom random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * Starts the sandbox receivers: every webhook destination without a URL or a secret gets one on the sandbox, with
     * a secret made for this run ({@link #overrides()}), which its receiver verifies every signature with.
     */
    public static Demo start(Settings.Reader settings, List<String> destinations) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", settings.get(PORT)), 0);
        List<String> sandboxed = sandboxed(settings, destinations);
        Map<String, String> overrides = overrides(settings, sandboxed, server.getAddress().getPort());
        for (String d : sandboxed) {
            String whsec = overrides.get(WebhookProvider.SECRET.forName(d).key());
            server.createContext("/" + d, exchange -> receive(d, whsec, exchange));
        }
        ExecutorService threads = Executors.newFixedThreadPool(2);
        server.setExecutor(threads);
        server.start();
        Duration interval = settings.get(INTERVAL);
        LOG.info("sandbox receivers on http://127.0.0.1:{}/<destination>; sample events every {} ms",
                server.getAddress().getPort(), interval.toMillis());
        return new Demo(server, threads, Map.copyOf(overrides), interval);
    }

    /** The settings that point destinations at the sandbox: each webhook destination's URL and secret. */
    public Map<String, String> overrides() {
        return overrides;
    }

    /**
     * Publishes sample events every interval, and prints what lands in dead-letter topics: with the hub's own client
     * settings, so a demo on a cluster over TLS or SASL connects as the hub does.
     */
    public void publish(KafkaClients kafka) {
        publisher = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "demo-publisher"));
        producer = new KafkaProducer<>(kafka.producer("mphub-demo"), new StringSerializer(), new StringSerializer());
        AtomicInteger round = new AtomicInteger();
        publisher.execute(() -> grantConsent(producer));
        publisher.scheduleWithFixedDelay(() -> publishRound(producer, round.incrementAndGet()), 1000,
                interval.toMillis(), TimeUnit.MILLISECONDS);
        Thread tail = new Thread(() -> tailDeadLetters(kafka, running), "demo-dlq-tail");
        tail.setDaemon(true);
        tail.start();
    }

    private static void receive(String destination, String secret, HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            byte[] body = in.readAllBytes();
            String id = exchange.getRequestHeaders().getFirst(StandardWebhooksSigner.ID);
            String timestamp = exchange.getRequestHeaders().getFirst(StandardWebhooksSigner.TIMESTAMP);
            String signature = exchange.getRequestHeaders().getFirst(StandardWebhooksSigner.SIGNATURE);
            boolean ok = verified(secret, id, timestamp, signature, body);
            var type = TYPE.matcher(new String(body, StandardCharsets.UTF_8));
            List<String> types = new ArrayList<>();
            while (type.find()) {
                types.add(type.group(1));
            }
            boolean batch = WebhookBatchKind.CONTENT_TYPE.equals(exchange.getRequestHeaders().getFirst("content-type"));
            LOG.info("{} <- {} id={} signature {}", String.format("%-17s", destination),
                    String.format("%-22s", batch ? "batch of " + types.size() + (types.size() == 1 ? " event" : " events") : types.isEmpty() ? "?"
                            : types.get(0)), id, ok ? "verified" : "INVALID");
            exchange.sendResponseHeaders(ok ? 204 : 401, -1);
        }
    }

    private static boolean verified(String secret, String id, String timestamp, String signature, byte[] body) {
        if (id == null || timestamp == null || signature == null) {
            return false;
        }
        long ts = Long.parseLong(timestamp);
        if (Math.abs(Instant.now().getEpochSecond() - ts) > Duration.ofMinutes(5).toSeconds()) {
            return false;
        }
        byte[] expected = new StandardWebhooksSigner(secret, Clock.systemUTC())
                .signature(id, ts, body).getBytes(StandardCharsets.UTF_8);
        for (String candidate : signature.split(" ")) {
            if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    private static void publishRound(KafkaProducer<String, String> producer, int round) {
        String user = "oDemoUser" + (round % 3);
        String order = "DEMO" + String.format("%08d", round);
        String app = "wx1234567890abcdef";
        List<Sample> events = new ArrayList<>(List.of(
                new Sample("mp.events.login", user, event(round, "a", "mp.user.login", user,
                        "{\"appId\":\"" + app + "\",\"openId\":\"" + user + "\",\"scene\":1001,\"platform\":\"ios\","
                                + "\"location\":{\"latitude\":31.2304,\"longitude\":121.4737}}")),
                new Sample("mp.events.behaviour", user, event(round, "b", "mp.behaviour.page_view", user,
                        "{\"appId\":\"" + app + "\",\"openId\":\"" + user + "\",\"page\":\"pages/goods/detail\","
                                + "\"durationMs\":5400}")),
                new Sample("mp.events.order", user, event(round, "c", "mp.order.created", user,
                        "{\"appId\":\"" + app + "\",\"orderId\":\"" + order + "\",\"openId\":\"" + user + "\","
                                + "\"amount\":{\"total\":2990,\"currency\":\"CNY\"},\"description\":\"Green tea 500g\"}"))));
        if (round > 1) { // the previous round's order leaves the warehouse
            String shipped = "DEMO" + String.format("%08d", round - 1);
            String previousUser = "oDemoUser" + ((round - 1) % 3);
            events.add(new Sample("mp.events.order", previousUser, event(round, "d", "mp.order.shipped", previousUser,
                    "{\"appId\":\"" + app + "\",\"orderId\":\"" + shipped + "\",\"openId\":\"" + previousUser + "\","
                            + "\"carrier\":\"shunfeng\",\"waybillNo\":\"SF" + RUN_DIGITS + String.format("%06d", round - 1)
                            + "\"}")));
        }
        if (round % 4 == 0) {
            events.add(new Sample("mp.events.order", user, event(round, "x", "mp.order.created", user,
                    "{\"appId\":\"" + app + "\",\"orderId\":\"" + order + "\",\"openId\":\"" + user + "\","
                            + "\"amount\":{\"total\":\"29.90\",\"currency\":\"CNY\"},\"description\":\"bad amount\"}")));
        }
        for (Sample e : events) {
            producer.send(new ProducerRecord<>(e.topic(), e.subject(), e.json()));
        }
    }

    /**
     * The demo's users grant analytics before their first events (analytics ships needing that consent): on the topic
     * their logins go to, keyed by the user as every event is.
     */
    private static void grantConsent(KafkaProducer<String, String> producer) {
        for (int u = 0; u < 3; u++) {
            String user = "oDemoUser" + u;
            producer.send(new ProducerRecord<>("mp.events.login", user, event(0, "consent" + u, "mp.user.consent", user,
                    "{\"appId\":\"wx1234567890abcdef\",\"openId\":\"" + user + "\",\"granted\":[\"analytics\"]}")));
        }
        producer.flush();
    }

    /** One sample event, keyed by its subject as producers must (one user's events stay in order). */
    private record Sample(String topic, String subject, String json) {
    }

    private static String event(int round, String suffix, String type, String subject, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"demo-" + RUN + "-" + round + suffix + "\",\"source\":\"/miniprogram/wx1234567890abcdef\","
                + "\"type\":\"" + type + "\",\"time\":\"" + Instant.now() + "\",\"subject\":\"" + subject + "\","
                + "\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
    }

    private static void tailDeadLetters(KafkaClients kafka, AtomicBoolean running) {
        Map<String, Object> config = kafka.consumer("mphub-demo-dlq-tail", "mphub.demo.dlq-tail");
        // What lands from now on, and after a restart what landed meanwhile.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(Pattern.compile("mp\\.dlq\\..*"));
            while (running.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    LOG.info("{} <- {}: {}", String.format("%-17s", r.topic()), header(r, "mphub.error.reason"),
                            header(r, "mphub.error.message"));
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException | IllegalStateException e) {
            // stopping
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        running.set(false);
        if (publisher != null) {
            publisher.shutdownNow();
            producer.close(Duration.ofSeconds(2));
        }
        server.stop(0);
        serverThreads.shutdownNow();
    }
}
