package io.mphub.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.wechat.pay.java.core.cipher.AeadAesCipher;

/** WeChat Pay API v3 payment notifications as WeChat Pay sends them, encrypted and signed with wechatpay-java. */
public final class WeChatPayNotifications {

    private WeChatPayNotifications() {
    }

    /** A paid JSAPI transaction, as the notification's resource carries it (before encryption). */
    public static String transaction(String transactionId, String orderId, String openId) {
        return "{\"appid\":\"" + Events.APP + "\",\"mchid\":\"" + WeChatPayKeys.MCHID + "\",\"out_trade_no\":\"" + orderId
                + "\",\"transaction_id\":\"" + transactionId + "\",\"trade_type\":\"JSAPI\",\"trade_state\":\"SUCCESS\","
                + "\"trade_state_desc\":\"支付成功\",\"bank_type\":\"CMC\",\"success_time\":\"2026-06-01T10:34:56+08:00\","
                + "\"payer\":{\"openid\":\"" + openId + "\"},"
                + "\"amount\":{\"total\":1999,\"payer_total\":1899,\"currency\":\"CNY\",\"payer_currency\":\"CNY\"}}";
    }

    /** A notification as WeChat Pay sends it, its resource encrypted with wechatpay-java's AeadAesCipher. */
    public static String notification(String eventType, String plaintext, String apiV3Key) {
        String nonce = UUID.randomUUID().toString().substring(0, 12);
        String ciphertext = new AeadAesCipher(apiV3Key.getBytes(UTF_8)).encrypt("transaction".getBytes(UTF_8),
                nonce.getBytes(UTF_8), plaintext.getBytes(UTF_8));
        return "{\"id\":\"EV-" + UUID.randomUUID() + "\",\"create_time\":\"2026-06-01T10:34:57+08:00\","
                + "\"resource_type\":\"encrypt-resource\",\"event_type\":\"" + eventType + "\",\"summary\":\"支付成功\","
                + "\"resource\":{\"original_type\":\"transaction\",\"algorithm\":\"AEAD_AES_256_GCM\",\"ciphertext\":\""
                + ciphertext + "\",\"associated_data\":\"transaction\",\"nonce\":\"" + nonce + "\"}}";
    }

    /** The Wechatpay-* headers of {@code body} sent at {@code timestamp}, signed with the sandbox's platform key. */
    public static Map<String, String> headers(WeChatPaySandbox sandbox, String body, long timestamp) {
        String nonce = UUID.randomUUID().toString().replace("-", "");
        Map<String, String> headers = new HashMap<>();
        headers.put("Wechatpay-Serial", sandbox.platformSerial());
        headers.put("Wechatpay-Timestamp", Long.toString(timestamp));
        headers.put("Wechatpay-Nonce", nonce);
        headers.put("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
        headers.put("Wechatpay-Signature", sandbox.platformSignature(Long.toString(timestamp), nonce, body));
        return headers;
    }
}
