package io.mphub.testing;

import java.time.Instant;
import java.util.List;

/** Sample events of every type of the contract, valid unless a test breaks them on purpose. */
public final class Events {

    public static final String APP = "wx1234567890abcdef";

    private Events() {
    }

    public static String structured(String id, String type, String subject, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/miniprogram/" + APP + "\",\"type\":\"" + type
                + "\",\"time\":\"" + Instant.now() + "\",\"subject\":\"" + subject
                + "\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
    }

    /** {@code mp.user.consent} data: the scopes {@code user} grants and withdraws (either list may be empty). */
    public static String consent(String user, List<String> granted, List<String> withdrawn) {
        return "{\"appId\":\"" + APP + "\",\"openId\":\"" + user + "\""
                + (granted.isEmpty() ? "" : ",\"granted\":[\"" + String.join("\",\"", granted) + "\"]")
                + (withdrawn.isEmpty() ? "" : ",\"withdrawn\":[\"" + String.join("\",\"", withdrawn) + "\"]") + "}";
    }

    public static String login(String user) {
        return "{\"appId\":\"" + APP + "\",\"openId\":\"" + user + "\",\"scene\":1001,\"platform\":\"android\","
                + "\"location\":{\"latitude\":39.9042,\"longitude\":116.4074}}";
    }

    public static String orderCreated(String user, String order) {
        return "{\"appId\":\"" + APP + "\",\"orderId\":\"" + order + "\",\"openId\":\"" + user + "\","
                + "\"amount\":{\"total\":1999,\"currency\":\"CNY\"},\"description\":\"Oolong tea\","
                + "\"items\":[{\"sku\":\"T-1\",\"name\":\"Oolong\",\"quantity\":1,\"price\":1999}]}";
    }

    public static String orderPaid(String user, String order) {
        return "{\"appId\":\"" + APP + "\",\"orderId\":\"" + order + "\",\"openId\":\"" + user + "\","
                + "\"transactionId\":\"4200001234202611240000000001\",\"amount\":{\"total\":1999,\"currency\":\"CNY\"}}";
    }

    public static String orderShipped(String user, String order) {
        return "{\"appId\":\"" + APP + "\",\"orderId\":\"" + order + "\",\"openId\":\"" + user + "\","
                + "\"carrier\":\"shunfeng\",\"waybillNo\":\"SF1234567890\",\"receiverPhone\":\"13800138000\"}";
    }

    public static String orderRefunded(String user, String order) {
        return "{\"appId\":\"" + APP + "\",\"orderId\":\"" + order + "\",\"openId\":\"" + user + "\","
                + "\"refundId\":\"R" + order + "\",\"amount\":{\"refund\":1999,\"total\":1999,\"currency\":\"CNY\"},"
                + "\"reason\":\"changed mind\"}";
    }

    public static String behaviour(String user, String page) {
        return "{\"appId\":\"" + APP + "\",\"openId\":\"" + user + "\",\"page\":\"" + page + "\",\"durationMs\":1200}";
    }
}
