package io.mphub.ops;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mphub.config.Secret;
import io.mphub.config.Settings;
import io.mphub.deliver.Destination;
import io.mphub.sign.StandardWebhooksSigner;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
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

    private final HttpServer server;
    private final ExecutorService serverThreads;
    private final ScheduledExecutorService publisher;
    private final KafkaProducer<String, String> producer;
    private final AtomicBoolean running;
    private final Map<String, Destination> destinations;

    private Demo(HttpServer server, ExecutorService serverThreads, ScheduledExecutorService publisher,
            KafkaProducer<String, String> producer, AtomicBoolean running, Map<String, Destination> destinations) {
        this.server = server;
        this.serverThreads = serverThreads;
        this.publisher = publisher;
        this.producer = producer;
        this.running = running;
        this.destinations = destinations;
    }

    /** Destinations with no URL or secret are pointed at the sandbox, with a secret made for this run. */
    public Map<String, Destination> destinations() {
        return destinations;
    }

    public static Demo start(Settings settings, String bootstrap, Collection<Destination> configured) throws IOException {
        int port = settings.getInt("mphub.demo.port", 8089);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        SecureRandom random = new SecureRandom();
        Map<String, Destination> destinations = new LinkedHashMap<>();
        for (Destination d : configured) {
            Destination sandboxed = d;
            if (d.kind().equals("webhook") && (d.url() == null || d.secret() == null)) {
                byte[] key = new byte[32];
                random.nextBytes(key);
                sandboxed = new Destination(d.name(), d.kind(),
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + d.name()),
                        new Secret("whsec_" + Base64.getEncoder().encodeToString(key)), d.rate(), d.timeout(), d.retry(),
                        d.fields());
            }
            destinations.put(d.name(), sandboxed);
            Destination target = sandboxed;
            if (target.secret() != null) {
                server.createContext("/" + d.name(), exchange -> receive(target, exchange));
            }
        }
        ExecutorService threads = Executors.newFixedThreadPool(2);
        server.setExecutor(threads);
        server.start();
        LOG.info("sandbox receivers on http://127.0.0.1:{}/<destination>; sample events every {} ms",
                server.getAddress().getPort(), settings.getLong("mphub.demo.interval-ms", 3000));

        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "demo-publisher"));
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.CLIENT_ID_CONFIG, "mphub-demo"),
                new StringSerializer(), new StringSerializer());
        AtomicInteger round = new AtomicInteger();
        long interval = settings.getLong("mphub.demo.interval-ms", 3000);
        publisher.scheduleWithFixedDelay(() -> publishRound(producer, round.incrementAndGet()), 1000, interval,
                TimeUnit.MILLISECONDS);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread tail = new Thread(() -> tailDeadLetters(bootstrap, running), "demo-dlq-tail");
        tail.setDaemon(true);
        tail.start();
        return new Demo(server, threads, publisher, producer, running, Map.copyOf(destinations));
    }

    private static void receive(Destination destination, HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            byte[] body = in.readAllBytes();
            String id = exchange.getRequestHeaders().getFirst(StandardWebhooksSigner.ID);
            String timestamp = exchange.getRequestHeaders().getFirst(StandardWebhooksSigner.TIMESTAMP);
            String signature = exchange.getRequestHeaders().getFirst(StandardWebhooksSigner.SIGNATURE);
            boolean ok = verified(destination, id, timestamp, signature, body);
            var type = TYPE.matcher(new String(body, StandardCharsets.UTF_8));
            LOG.info("{} <- {} id={} signature {}", String.format("%-17s", destination.name()),
                    String.format("%-22s", type.find() ? type.group(1) : "?"), id, ok ? "verified" : "INVALID");
            exchange.sendResponseHeaders(ok ? 204 : 401, -1);
        }
    }

    private static boolean verified(Destination d, String id, String timestamp, String signature, byte[] body) {
        if (id == null || timestamp == null || signature == null) {
            return false;
        }
        long ts = Long.parseLong(timestamp);
        if (Math.abs(Instant.now().getEpochSecond() - ts) > Duration.ofMinutes(5).toSeconds()) {
            return false;
        }
        byte[] expected = new StandardWebhooksSigner(d.secret().value(), Clock.systemUTC())
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
        List<Sample> events = new java.util.ArrayList<>(List.of(
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

    /** One sample event, keyed by its subject as producers must (one user's events stay in order). */
    private record Sample(String topic, String subject, String json) {
    }

    private static String event(int round, String suffix, String type, String subject, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"demo-" + RUN + "-" + round + suffix + "\",\"source\":\"/miniprogram/wx1234567890abcdef\","
                + "\"type\":\"" + type + "\",\"time\":\"" + Instant.now() + "\",\"subject\":\"" + subject + "\","
                + "\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
    }

    private static void tailDeadLetters(String bootstrap, AtomicBoolean running) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "mphub.demo.dlq-tail",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(), new StringDeserializer())) {
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
        publisher.shutdownNow();
        producer.close(Duration.ofSeconds(2));
        server.stop(0);
        serverThreads.shutdownNow();
    }
}
