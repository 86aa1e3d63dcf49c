package io.mphub.provider.wechatpay;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.mphub.deliver.Destination;
import io.mphub.deliver.Kind;
import io.mphub.deliver.Outcome;
import io.mphub.http.ExtraTrust;
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
 * parameters signed the v2 way. {@code mp.order.refunded} becomes a refund ({@code POST /secapi/pay/refund}), which
 * WeChat Pay takes only over mutual TLS with the merchant's API client certificate: with it set, every v2 call is
 * made with it; without it, refunds are dead-lettered {@code not_supported} ({@link #NO_REFUND}), never dropped.
 * What each answer means: {@link V2Answers}.
 */
public final class WeChatPayV2Kind implements Kind {

    public static final String NAME = "wechatpay-v2";
    static final String UNIFIED_ORDER_PATH = "/pay/unifiedorder";
    // WeChat Pay v2: body String(128); counted in bytes here, the stricter reading
    static final int MAX_BODY_BYTES = 128;
    static final String REFUND_PATH = "/secapi/pay/refund";
    // WeChat Pay v2 refund: refund_desc String(80)
    static final int MAX_REFUND_DESC_BYTES = 80;
    static final String NO_REFUND = "WeChat Pay v2 refunds need the merchant's API client certificate (mutual TLS): set "
            + WeChatPaySettings.V2_CLIENT_CERTIFICATE.envName() + " to apiclient_cert.p12, or refund in the merchant"
            + " platform";

    private static final Logger LOG = LoggerFactory.getLogger(WeChatPayV2Kind.class);

    private final Destination destination;
    private final V2Merchant merchant;
    private final ProviderContext context;
    private final WeChatPayV2Signer signer;
    private final V2Answers outcomes;
    private final ProviderCall call;
    private final PaymentPrepared prepared;
    private final Supplier<String> nonces = Nonces.alphanumeric(32);
    /** The client that presents the merchant's certificate; null without one (then refunds are not sent). */
    private final HttpClient mutualTls;

    WeChatPayV2Kind(Destination destination, V2Merchant merchant, ProviderContext context) {
        this.destination = destination;
        this.merchant = merchant;
        this.context = context;
        this.signer = new WeChatPayV2Signer(merchant.apiKey().value());
        this.outcomes = new V2Answers(signer, merchant.signType());
        this.call = context.call();
        this.prepared = new PaymentPrepared(context.results(), context.mapper());
        this.mutualTls = merchant.clientCertificate().map(c -> {
            try {
                return Endpoints.client(destination.timeout(), destination.inFlight(),
                        ExtraTrust.withClientKey(c.keys(), c.password().value().toCharArray()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the TLS context of " + c + " could not be made", e);
            }
        }).orElse(null);
    }

    @Override
    public Outcome attempt(HttpClient http, String eventId, byte[] event) throws InterruptedException {
        try {
            OrderEvent order = OrderEvent.parse(context.mapper(), eventId, event);
            HttpClient client = mutualTls != null ? mutualTls : http;
            return switch (order.type()) {
                case "mp.order.created" -> unifiedOrder(client, order);
                case "mp.order.refunded" -> mutualTls != null ? refund(client, order)
                        : new Outcome.Permanent("not_supported", NO_REFUND);
                default -> new Outcome.Skipped("unsupported_type", NAME + " takes mp.order.created, not " + order.type());
            };
        } catch (IllegalArgumentException badEvent) {
            return new Outcome.Permanent("bad_event", badEvent.getMessage());
        }
    }

    private Outcome unifiedOrder(HttpClient http, OrderEvent order) throws InterruptedException {
        Answered answered = post(http, UNIFIED_ORDER_PATH, unifiedOrderParams(order));
        if (!(answered.outcome() instanceof Outcome.Delivered)) {
            return answered.outcome();
        }
        String prepayId = answered.fields().getOrDefault("prepay_id", "");
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
        return answered.outcome();
    }

    /** A refund, over mutual TLS. WeChat Pay refunds a repeated out_refund_no only once, so a retry is safe. */
    private Outcome refund(HttpClient http, OrderEvent refund) throws InterruptedException {
        Answered answered = post(http, REFUND_PATH, refundParams(refund));
        if (answered.outcome() instanceof Outcome.Delivered) {
            LOG.info("event {}: refund {} of order {} accepted by WeChat Pay v2 as {}", refund.id(),
                    refund.text("refundId"), refund.text("orderId"), answered.fields().getOrDefault("refund_id", "?"));
        }
        return answered.outcome();
    }

    /** What a v2 call answered: its outcome and, when it came as v2 XML, its fields. */
    private record Answered(Outcome outcome, Map<String, String> fields) {
    }

    private Answered post(HttpClient http, String path, Map<String, String> params) throws InterruptedException {
        ProviderCall.Answer sent = call.send(http, HttpRequest.newBuilder(url(path))
                .timeout(destination.timeout())
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("User-Agent", WeChatPayV3Client.USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofString(V2Xml.write(params), UTF_8))
                .build());
        if (sent.failure() != null) {
            return new Answered(sent.failure(), Map.of());
        }
        HttpResponse<byte[]> response = sent.response();
        if (response.statusCode() / 100 != 2) {
            return new Answered(call.http().classify(response.statusCode(), response.headers().firstValue("Retry-After")),
                    Map.of());
        }
        Map<String, String> answer;
        try {
            answer = V2Xml.read(response.body());
        } catch (IllegalArgumentException e) {
            return new Answered(new Outcome.Retry("unverified_response", "HTTP " + response.statusCode()
                    + " answer is not v2 XML: " + e.getMessage(), null), Map.of());
        }
        return new Answered(outcomes.classify(response.statusCode(), answer), answer);
    }

    /**
     * The refund's parameters, signed: {@code out_refund_no} is the event's refundId, so a repeat refunds once;
     * {@code notify_url} is left to the merchant platform's setting (refund results are the merchant's to receive).
     */
    Map<String, String> refundParams(OrderEvent refund) {
        Map<String, String> params = new TreeMap<>();
        params.put("appid", refund.text("appId"));
        params.put("mch_id", merchant.mchid());
        params.put("nonce_str", nonces.get());
        params.put("sign_type", merchant.signType().wireName());
        params.put("out_trade_no", refund.text("orderId"));
        params.put("out_refund_no", refund.text("refundId"));
        params.put("total_fee", Long.toString(refund.integer("amount", "total")));
        params.put("refund_fee", Long.toString(refund.integer("amount", "refund")));
        params.put("refund_fee_type", refund.text("amount", "currency"));
        String reason = refund.optionalText("reason");
        if (reason != null) {
            params.put("refund_desc", Text.truncateUtf8Bytes(reason, MAX_REFUND_DESC_BYTES));
        }
        params.put("sign", signer.sign(params, merchant.signType()));
        return params;
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
