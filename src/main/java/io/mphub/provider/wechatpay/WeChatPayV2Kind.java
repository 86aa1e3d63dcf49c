package io.mphub.provider.wechatpay;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.mphub.deliver.Destination;
import io.mphub.deliver.Kind;
import io.mphub.deliver.Outcome;
import io.mphub.provider.Endpoints;
import io.mphub.provider.ProviderCall;
import io.mphub.provider.ProviderContext;
import io.mphub.sign.Nonces;
import io.mphub.sign.WeChatPayV2Signer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kind {@code wechatpay-v2}, for merchants still on WeChat Pay API v2: {@code mp.order.created} becomes a JSAPI
 * unified order ({@code POST /pay/unifiedorder}, XML, signed MD5 or HMAC-SHA256 with the v2 API key); once the
 * signed answer gives the {@code prepay_id}, {@code mp.payment.prepared} is published with {@code wx.requestPayment}
 * parameters signed the v2 way. Refunds are not supported (see {@link #NO_REFUND}): they are dead-lettered, never
 * dropped. What each answer means: {@link V2Answers}.
 */
public final class WeChatPayV2Kind implements Kind {

    public static final String NAME = "wechatpay-v2";
    static final String UNIFIED_ORDER_PATH = "/pay/unifiedorder";
    // WeChat Pay v2: body String(128); counted in bytes here, the stricter reading
    static final int MAX_BODY_BYTES = 128;
    static final String NO_REFUND = "WeChat Pay v2 refunds need the merchant's API client certificate (mutual TLS), "
            + "which mphub does not support; refund in the merchant platform, or move the merchant to wechatpay-v3";

    private static final Logger LOG = LoggerFactory.getLogger(WeChatPayV2Kind.class);

    private final Destination destination;
    private final V2Merchant merchant;
    private final ProviderContext context;
    private final WeChatPayV2Signer signer;
    private final V2Answers outcomes;
    private final ProviderCall call;
    private final PaymentPrepared prepared;
    private final Supplier<String> nonces = Nonces.alphanumeric(32);

    WeChatPayV2Kind(Destination destination, V2Merchant merchant, ProviderContext context) {
        this.destination = destination;
        this.merchant = merchant;
        this.context = context;
        this.signer = new WeChatPayV2Signer(merchant.apiKey().value());
        this.outcomes = new V2Answers(signer, merchant.signType());
        this.call = context.call();
        this.prepared = new PaymentPrepared(context.results(), context.mapper());
    }

    @Override
    public Outcome attempt(HttpClient http, String eventId, byte[] event) throws InterruptedException {
        try {
            OrderEvent order = OrderEvent.parse(context.mapper(), eventId, event);
            return switch (order.type()) {
                case "mp.order.created" -> unifiedOrder(http, order);
                case "mp.order.refunded" -> new Outcome.Permanent("not_supported", NO_REFUND);
                default -> new Outcome.Skipped("unsupported_type", NAME + " takes mp.order.created, not " + order.type());
            };
        } catch (IllegalArgumentException badEvent) {
            return new Outcome.Permanent("bad_event", badEvent.getMessage());
        }
    }

    private Outcome unifiedOrder(HttpClient http, OrderEvent order) throws InterruptedException {
        ProviderCall.Answer sent = call.send(http, HttpRequest.newBuilder(url(UNIFIED_ORDER_PATH))
                .timeout(destination.timeout())
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("User-Agent", WeChatPayV3Client.USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofString(V2Xml.write(unifiedOrderParams(order)), UTF_8))
                .build());
        if (sent.failure() != null) {
            return sent.failure();
        }
        HttpResponse<byte[]> response = sent.response();
        if (response.statusCode() / 100 != 2) {
            return call.http().classify(response.statusCode(), response.headers().firstValue("Retry-After"));
        }
        Map<String, String> answer;
        try {
            answer = V2Xml.read(response.body());
        } catch (IllegalArgumentException e) {
            return new Outcome.Retry("unverified_response", "HTTP " + response.statusCode() + " answer is not v2 XML: "
                    + e.getMessage(), null);
        }
        Outcome outcome = outcomes.classify(response.statusCode(), answer);
        if (!(outcome instanceof Outcome.Delivered)) {
            return outcome;
        }
        String prepayId = answer.getOrDefault("prepay_id", "");
        if (prepayId.isBlank()) {
            return new Outcome.Permanent("bad_response", "SUCCESS answer has no prepay_id");
        }
        // Not written: an OutboxWriteException reaches the route, which reads the order again (the hub's own
        // infrastructure failed: never a dead letter). WeChat Pay answers the same out_trade_no with the same
        // prepay_id, so the repeat is safe.
        prepared.publish(order, prepayId, requestPayment(order.text("appId"), prepayId,
                context.clock().instant().getEpochSecond(), nonces.get()));
        LOG.info("event {}: order {} prepaid with WeChat Pay v2 ({}), {} published", order.id(), order.text("orderId"),
                prepayId, PaymentPrepared.id(order.id()));
        return outcome;
    }

    /** The unified order's parameters, signed: a JSAPI order paid by {@code openid}. */
    Map<String, String> unifiedOrderParams(OrderEvent order) {
        Map<String, String> params = new TreeMap<>();
        params.put("appid", order.text("appId"));
        params.put("mch_id", merchant.mchid());
        params.put("nonce_str", nonces.get());
        params.put("sign_type", merchant.signType().wireName());
        params.put("body", Text.truncateUtf8Bytes(order.text("description"), MAX_BODY_BYTES));
        params.put("out_trade_no", order.text("orderId"));
        params.put("fee_type", order.text("amount", "currency"));
        params.put("total_fee", Long.toString(order.integer("amount", "total")));
        params.put("spbill_create_ip", merchant.clientIp());
        params.put("notify_url", merchant.notifyUrl().toString());
        params.put("trade_type", "JSAPI");
        params.put("openid", order.text("openId"));
        params.put("sign", signer.sign(params, merchant.signType()));
        return params;
    }

    /**
     * The {@code wx.requestPayment} parameters of a v2 order: {@code paySign} is the v2 sign of appId, timeStamp,
     * nonceStr, package and signType, with the same sign type as the order.
     */
    Map<String, String> requestPayment(String appId, String prepayId, long timeStamp, String nonce) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("timeStamp", Long.toString(timeStamp));
        parameters.put("nonceStr", nonce);
        parameters.put("package", "prepay_id=" + prepayId);
        parameters.put("signType", merchant.signType().wireName());
        Map<String, String> signed = new HashMap<>(parameters);
        signed.put("appId", appId);
        parameters.put("paySign", signer.sign(signed, merchant.signType()));
        return parameters;
    }

    private URI url(String path) {
        return Endpoints.under(destination.url(), path);
    }

    @Override
    public String toString() {
        return NAME + "[" + destination.name() + ", " + merchant + "]";
    }
}
