package io.mphub.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The reference: the least code that forwards a topic as signed webhooks, with no Camel. {@code threads}
 * consumers in one group, each polling up to 100 records (the hub's delivery route polls up to 20), POSTing each record
 * synchronously with one shared JDK HttpClient (HTTP/1.1, as the hub uses for http URLs) and the Standard
 * Webhooks headers, then committing the batch synchronously. No validation, no throttle, no retry policy, no
 * dead letters: that is the point of a reference.
 * <p>
 * Usage: {@code ReferenceForwarder <bootstrap> <topic> <threads> <url> <whsec_secret>}
 */
public final class ReferenceForwarder {

    private ReferenceForwarder() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        int threads = Integer.parseInt(args[2]);
        URI url = URI.create(args[3]);
        byte[] key = Base64.getDecoder().decode(args[4].replaceFirst("^whsec_", ""));
        AtomicBoolean running = new AtomicBoolean(true);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        List<KafkaConsumer<String, byte[]>> consumers = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "reference",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100),
                    new StringDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(topic));
            consumers.add(consumer);
            Thread worker = new Thread(() -> forward(consumer, http, url, key, running), "reference-" + i);
            workers.add(worker);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.set(false);
            consumers.forEach(KafkaConsumer::wakeup);
            for (Thread w : workers) {
                try {
                    w.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP)
                    .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
            System.out.printf("reference stopped; peak heap used %d MB (max %d MB)%n", peak / (1024 * 1024),
                    Runtime.getRuntime().maxMemory() / (1024 * 1024));
            System.out.flush();
        }));
        workers.forEach(Thread::start);
        System.out.println("reference started: " + threads + " consumers on " + topic);
        System.out.flush();
        for (Thread w : workers) {
            w.join();
        }
    }

    private static void forward(KafkaConsumer<String, byte[]> consumer, HttpClient http, URI url, byte[] key,
            AtomicBoolean running) {
        try (consumer) {
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (!post(http, url, key, record)) {
                        return;
                    }
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            // stopping
        }
    }

    private static boolean post(HttpClient http, URI url, byte[] key, ConsumerRecord<String, byte[]> record) {
        Header idHeader = record.headers().lastHeader("ce_id");
        String id = idHeader == null ? record.topic() + "-" + record.partition() + "-" + record.offset()
                : new String(idHeader.value(), StandardCharsets.UTF_8);
        return post(http, url, key, id, record.value());
    }

    /** One signed POST, synchronously; failures are printed, not retried. @return false when interrupted */
    static boolean post(HttpClient http, URI url, byte[] key, String id, byte[] body) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String signature;
        try {
            // Standard Webhooks: v1, Base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            signature = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("content-type", "application/cloudevents+json")
                .header("webhook-id", id)
                .header("webhook-timestamp", timestamp)
                .header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 != 2) {
                System.out.println("event " + id + ": HTTP " + status);
            }
        } catch (IOException e) {
            System.out.println("event " + id + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }
}
