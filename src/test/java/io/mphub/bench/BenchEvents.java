package io.mphub.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Valid events of the contract (schemas/*.json) carrying their send time. The time is a CloudEvents extension
 * attribute, {@code benchsentmicros} (epoch microseconds), because the envelope is the one place open to extra
 * attributes for every type: the data schemas of logins and orders allow no extra fields. The hub passes
 * envelope attributes through unchanged, so the sink reads the time back from the delivered body.
 */
final class BenchEvents {

    static final String SENT_ATTRIBUTE = "benchsentmicros";
    static final String APP = "wx0123456789abcdef";
    private static final int USERS = 1000;

    /** Which destinations each type goes to: a mirror of routes/dispatch.camel.yaml, to know what to expect. */
    static final Map<String, List<String>> FAN_OUT = Map.of(
            "mp.user.login", List.of("analytics", "customer-service"),
            "mp.order.created", List.of("payment", "customer-service", "analytics"),
            "mp.order.paid", List.of("customer-service", "analytics"),
            "mp.order.shipped", List.of("logistics", "notifications", "customer-service", "analytics"),
            "mp.order.refunded", List.of("payment", "customer-service", "analytics"),
            "mp.behaviour.page_view", List.of("analytics"));

    /** One generated event: its type (for the fan-out table) and the record to produce. */
    record Event(String type, ProducerRecord<String, byte[]> record) {
    }

    private BenchEvents() {
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /**
     * A page view as it sits on an outbox topic {@code mp.out.<destination>}: the event the hub accepted (with the
     * attributes ingest adds), keyed by subject, with the headers the outbox writes.
     */
    static ProducerRecord<String, byte[]> outboxRecord(String topic, String id, long i, long sentMicros) {
        String user = user(i);
        String json = envelope(id, "mp.behaviour.page_view", user, sentMicros, behaviour(user, i),
                ",\"mphubreceived\":\"" + Instant.now() + "\",\"mphubinstance\":\"bench\","
                        + "\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\","
                        + "\"mphubtraceid\":\"0af7651916cd43dd8448eb211c80319c\"");
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", utf8(id));
        headers.add("ce_type", utf8("mp.behaviour.page_view"));
        headers.add("content-type", utf8("application/cloudevents+json"));
        headers.add("traceparent", utf8("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        return new ProducerRecord<>(topic, null, user, utf8(json), headers);
    }

    /** A page view as a producer writes it to the hub's input topic (structured CloudEvent). */
    static ProducerRecord<String, byte[]> behaviourInput(String id, long i, long sentMicros) {
        String user = user(i);
        return new ProducerRecord<>("mp.events.behaviour", user,
                utf8(envelope(id, "mp.behaviour.page_view", user, sentMicros, behaviour(user, i), "")));
    }

    /**
     * The mixed stream: mostly page views, some logins, and order events (created, paid, shipped, refunded),
     * each on its input topic. Shares: behaviour 60 %, login 15 %, created 10 %, paid 8 %, shipped 5 %,
     * refunded 2 %; about 1.62 deliveries per event through the default fan-out table.
     */
    static Event mixed(String id, long i, long sentMicros, SplittableRandom random) {
        String user = user(random.nextInt(USERS));
        String order = String.format("BO%010d", i);
        int roll = random.nextInt(100);
        String type;
        String topic;
        String data;
        if (roll < 60) {
            type = "mp.behaviour.page_view";
            topic = "mp.events.behaviour";
            data = behaviour(user, i);
        } else if (roll < 75) {
            type = "mp.user.login";
            topic = "mp.events.login";
            data = "{\"appId\":\"" + APP + "\",\"openId\":\"" + user + "\",\"scene\":1001,\"platform\":\"android\","
                    + "\"location\":{\"latitude\":39.9042,\"longitude\":116.4074}}";
        } else if (roll < 85) {
            type = "mp.order.created";
            topic = "mp.events.order";
            data = "{\"appId\":\"" + APP + "\",\"orderId\":\"" + order + "\",\"openId\":\"" + user + "\","
                    + "\"amount\":{\"total\":1999,\"currency\":\"CNY\"},\"description\":\"Oolong tea\","
                    + "\"items\":[{\"sku\":\"T-1\",\"name\":\"Oolong\",\"quantity\":1,\"price\":1999}]}";
        } else if (roll < 93) {
            type = "mp.order.paid";
            topic = "mp.events.order";
            data = "{\"appId\":\"" + APP + "\",\"orderId\":\"" + order + "\",\"openId\":\"" + user + "\","
                    + "\"transactionId\":\"42000012342026" + String.format("%014d", i) + "\","
                    + "\"amount\":{\"total\":1999,\"currency\":\"CNY\"}}";
        } else if (roll < 98) {
            type = "mp.order.shipped";
            topic = "mp.events.order";
            data = "{\"appId\":\"" + APP + "\",\"orderId\":\"" + order + "\",\"openId\":\"" + user + "\","
                    + "\"carrier\":\"shunfeng\",\"waybillNo\":\"SF" + i + "\",\"receiverPhone\":\"13800138000\"}";
        } else {
            type = "mp.order.refunded";
            topic = "mp.events.order";
            data = "{\"appId\":\"" + APP + "\",\"orderId\":\"" + order + "\",\"openId\":\"" + user + "\","
                    + "\"refundId\":\"R" + order + "\","
                    + "\"amount\":{\"refund\":1999,\"total\":1999,\"currency\":\"CNY\"},\"reason\":\"changed mind\"}";
        }
        return new Event(type, new ProducerRecord<>(topic, user, utf8(envelope(id, type, user, sentMicros, data, ""))));
    }

    private static String behaviour(String user, long i) {
        return "{\"appId\":\"" + APP + "\",\"openId\":\"" + user + "\",\"page\":\"pages/goods/detail\","
                + "\"element\":\"buy-button\",\"query\":\"sku=T-" + (i % 500) + "&from=share\",\"durationMs\":1200,"
                + "\"properties\":{\"abTest\":\"b\",\"network\":\"wifi\"}}";
    }

    private static String envelope(String id, String type, String subject, long sentMicros, String data,
            String extra) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/miniprogram/" + APP + "\",\"type\":\""
                + type + "\",\"time\":\"" + Instant.now() + "\",\"subject\":\"" + subject
                + "\",\"datacontenttype\":\"application/json\",\"" + SENT_ATTRIBUTE + "\":" + sentMicros + extra
                + ",\"data\":" + data + "}";
    }

    private static String user(long i) {
        return String.format("oBench_%06d_UserOpenIdXyZ", i % USERS);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
