package io.mphub.provider.wechatpay;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.callback.Callback;
import io.mphub.config.Secret;
import io.mphub.event.Results;
import io.mphub.provider.ProviderContext;
import io.mphub.sign.AeadAesGcm;
import io.mphub.sign.Verdict;
import io.mphub.sign.WeChatPayV3Verifier;

/**
 * {@code POST /callbacks/wechatpay}: WeChat Pay API v3 payment notifications. Verified first (platform key by
 * {@code Wechatpay-Serial}, 5-minute skew, {@code WECHATPAY/SIGNTEST/} probes fail): anything else is 401 and
 * publishes nothing. Then {@code resource} is decrypted (AEAD_AES_256_GCM with the APIv3 key); a body that is not
 * a notification, or does not decrypt, is 400. {@code TRANSACTION.SUCCESS} publishes {@code mp.payment.succeeded}
 * with id {@code wxpay-<transaction_id>} and answers 204 once Kafka has it. Errors are answered in WeChat Pay's
 * format, {@code {"code":"FAIL","message":…}}, so WeChat Pay tries again later.
 *
 * <p>Other event types ({@code REFUND.SUCCESS}, {@code REFUND.ABNORMAL}, …) are refused with 400 and counted as
 * {@code unsupported_event_type}, never confirmed: a refund notification carries no payer openid, so it cannot
 * become an event whose subject is the user, and a success answer would make WeChat Pay stop sending a refund
 * outcome that nobody took. Refund notifications belong to the merchant's own handler
 * ({@code mphub.wechatpay.refund-notify-url}); an operator sees the refusals in the log and the metric.
 *
 * <p>WeChat Pay repeats a notification until it gets a success, 15 times over about 24 hours. A transaction already
 * published, on any replica and before any restart, is answered 204 without publishing again: the memory is in Kafka
 * ({@link io.mphub.kafka.CallbackLedger}, 25 hours).
 */
public final class WeChatPayCallback implements Callback {

    public static final String NAME = "wechatpay";
    static final String TYPE = "mp.payment.succeeded";
    static final String TRANSACTION_SUCCESS = "TRANSACTION.SUCCESS";
    static final String UNSUPPORTED_EVENT_TYPE = "mphub takes only TRANSACTION.SUCCESS notifications; "
            + "send refund notifications to your own handler";

    private final WeChatPayV3Verifier verifier;
    private final AeadAesGcm cipher;
    private final Results results;
    private final ObjectMapper mapper;

    WeChatPayCallback(WeChatPayV3Verifier verifier, AeadAesGcm cipher, Results results, ObjectMapper mapper) {
        this.verifier = verifier;
        this.cipher = cipher;
        this.results = results;
        this.mapper = mapper;
    }

    /** The callback, with the platform keys that verify notifications and the APIv3 key that decrypts them. */
    static WeChatPayCallback create(Map<String, PublicKey> platformKeys, Secret apiV3Key, ProviderContext context) {
        return new WeChatPayCallback(new WeChatPayV3Verifier(platformKeys, context.clock()),
                new AeadAesGcm(apiV3Key.value()), context.results(), context.mapper());
    }

    @Override
    public Answer handle(Request request) {
        String body = new String(request.body(), UTF_8);
        Verdict verdict = verifier.verify(name -> request.header(name).orElse(null), body);
        if (!verdict.valid()) {
            return fail(401, "bad_signature", "signature verification failed", verdict + ", serial "
                    + request.header(WeChatPayV3Verifier.SERIAL_HEADER).orElse("(none)"));
        }
        JsonNode notification = json(body);
        String eventType = notification.path("event_type").asText("");
        if (eventType.isEmpty()) {
            return fail(400, "malformed", "not a WeChat Pay notification", "no event_type");
        }
        if (!TRANSACTION_SUCCESS.equals(eventType)) {
            return fail(400, "unsupported_event_type", UNSUPPORTED_EVENT_TYPE, "notification "
                    + notification.path("id").asText("?") + " is " + eventType + ", refused (WeChat Pay will send it "
                    + "again): point refund notifications (" + WeChatPaySettings.REFUND_NOTIFY_URL + ", or the one set "
                    + "in the merchant platform) at the merchant's own handler");
        }
        JsonNode resource = notification.path("resource");
        if (!"AEAD_AES_256_GCM".equals(resource.path("algorithm").asText())
                || !resource.path("ciphertext").isTextual() || !resource.path("nonce").isTextual()) {
            return fail(400, "malformed", "resource is not an AEAD_AES_256_GCM encrypt-resource",
                    "notification " + notification.path("id").asText("?") + " has an unexpected resource");
        }
        JsonNode transaction;
        try {
            transaction = json(cipher.decrypt(resource.path("associated_data").asText(null),
                    resource.path("nonce").asText(), resource.path("ciphertext").asText()));
        } catch (IllegalArgumentException e) {
            return fail(400, "undecryptable", "resource cannot be decrypted", "notification "
                    + notification.path("id").asText("?") + ": " + e.getMessage());
        }
        return succeeded(notification.path("id").asText("?"), transaction);
    }

    private Answer succeeded(String notificationId, JsonNode transaction) {
        String transactionId = text(transaction, "transaction_id");
        String openId = text(transaction.path("payer"), "openid");
        ObjectNode data = mapper.createObjectNode();
        data.put("appId", text(transaction, "appid"));
        data.put("orderId", text(transaction, "out_trade_no"));
        data.put("openId", openId);
        data.put("transactionId", transactionId);
        String tradeState = text(transaction, "trade_state");
        if (tradeState != null) {
            // Optional in mp.payment.succeeded: the event type already says the trade succeeded.
            data.put("tradeState", tradeState);
        }
        data.put("successTime", text(transaction, "success_time"));
        JsonNode amount = transaction.path("amount");
        ObjectNode total = data.putObject("amount");
        if (!amount.path("total").canConvertToExactIntegral() || !amount.path("currency").isTextual()) {
            return fail(400, "malformed", "transaction has no amount", "notification " + notificationId);
        }
        total.put("total", amount.path("total").asLong());
        if (amount.path("payer_total").canConvertToExactIntegral()) {
            total.put("payerTotal", amount.path("payer_total").asLong());
        }
        total.put("currency", amount.path("currency").asText());
        if (data.properties().stream().anyMatch(field -> field.getValue().isNull())) {
            return fail(400, "malformed", "transaction lacks a required field", "notification " + notificationId);
        }
        boolean published = results.publishOnce(NAME + "/" + transactionId, "wxpay-" + transactionId, TYPE, openId,
                data);
        return new Answer(204, "application/json; charset=utf-8", null, published ? "accepted" : "duplicate",
                transactionId);
    }

    /** A text field, or JSON null when missing (reported as malformed before anything is published). */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    private JsonNode json(String text) {
        try {
            JsonNode node = mapper.readTree(text);
            return node == null ? mapper.missingNode() : node;
        } catch (IOException e) {
            return mapper.missingNode();
        }
    }

    /** WeChat Pay's error format; {@code detail} goes to the log only, and never holds a key or signature. */
    private Answer fail(int status, String outcome, String message, String detail) {
        ObjectNode body = mapper.createObjectNode().put("code", "FAIL").put("message", message);
        return Answer.json(status, body.toString(), outcome, detail);
    }
}
