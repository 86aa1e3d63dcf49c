package io.mphub.provider.wechatpay;

import java.io.IOException;
import java.net.http.HttpClient;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.deliver.Destination;
import io.mphub.deliver.HttpAnswers;
import io.mphub.deliver.Kind;
import io.mphub.deliver.Outcome;
import io.mphub.provider.ProviderContext;
import io.mphub.sign.Nonces;
import io.mphub.sign.RequestPaymentSigner;
import io.mphub.sign.WeChatPayV3Signer;
import io.mphub.sign.WeChatPayV3Verifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kind {@code wechatpay-v3}: WeChat Pay API v3 for mini programs. {@code mp.order.created} becomes a JSAPI prepay
 * order, and once WeChat Pay's verified answer gives the {@code prepay_id}, {@code mp.payment.prepared} with the
 * signed {@code wx.requestPayment} parameters is published on {@code mp.results}. {@code mp.order.refunded} becomes
 * a domestic refund. Other event types are skipped. What each answer means: {@link V3Answers}.
 */
public final class WeChatPayV3Kind implements Kind {

    public static final String NAME = "wechatpay-v3";
    public static final String DEFAULT_URL = "https://api.mch.weixin.qq.com";

    private static final Logger LOG = LoggerFactory.getLogger(WeChatPayV3Kind.class);

    private final Destination destination;
    private final V3Merchant merchant;
    private final ObjectMapper mapper;
    private final V3Requests requests;
    private final WeChatPayV3Client client;
    private final V3Answers outcomes;
    private final HttpAnswers transport;
    private final PaymentPrepared prepared;
    private final ProviderContext context;
    private final Supplier<String> nonces = Nonces.alphanumeric(32);

    WeChatPayV3Kind(Destination destination, V3Merchant merchant, ProviderContext context) {
        this.destination = destination;
        this.merchant = merchant;
        this.context = context;
        this.mapper = context.mapper();
        this.requests = new V3Requests(mapper, merchant);
        this.transport = context.call().http();
        this.outcomes = new V3Answers(mapper, transport);
        this.client = new WeChatPayV3Client(destination.url(), destination.timeout(),
                new WeChatPayV3Signer(merchant.mchid(), merchant.serial(), merchant.merchantKey(), context.clock(),
                        nonces),
                new WeChatPayV3Verifier(merchant.platformKeys(), context.clock()));
        this.prepared = new PaymentPrepared(context.results(), mapper);
    }

    @Override
    public Outcome attempt(HttpClient http, String eventId, byte[] event) throws InterruptedException {
        try {
            OrderEvent order = OrderEvent.parse(mapper, eventId, event);
            return switch (order.type()) {
                case "mp.order.created" -> prepay(http, order);
                case "mp.order.refunded" -> refund(http, order);
                default -> new Outcome.Skipped("unsupported_type", NAME + " takes mp.order.created and "
                        + "mp.order.refunded, not " + order.type());
            };
        } catch (IllegalArgumentException badEvent) {
            return new Outcome.Permanent("bad_event", badEvent.getMessage());
        } catch (IOException e) {
            return transport.classify(e);
        }
    }

    private Outcome prepay(HttpClient http, OrderEvent order) throws IOException, InterruptedException {
        WeChatPayV3Client.Reply reply = client.post(http, V3Requests.PREPAY_PATH, json(requests.prepay(order)));
        Outcome outcome = outcomes.classify(reply);
        if (!(outcome instanceof Outcome.Delivered)) {
            return outcome;
        }
        String prepayId = answer(reply).path("prepay_id").asText("");
        if (prepayId.isBlank()) {
            return new Outcome.Permanent("bad_response", "HTTP " + reply.status() + " answer has no prepay_id");
        }
        RequestPaymentSigner signer = new RequestPaymentSigner(order.text("appId"), merchant.merchantKey(),
                context.clock(), nonces);
        // Not written: an OutboxWriteException reaches the route, which reads the order again (the hub's own
        // infrastructure failed: never a dead letter). WeChat Pay answers the same out_trade_no with the same
        // prepay_id, so the repeat is safe.
        prepared.publish(order, prepayId, signer.sign(prepayId).toMap());
        LOG.info("event {}: order {} prepaid with WeChat Pay ({}), {} published", order.id(), order.text("orderId"),
                prepayId, PaymentPrepared.id(order.id()));
        return outcome;
    }

    private Outcome refund(HttpClient http, OrderEvent refund) throws IOException, InterruptedException {
        WeChatPayV3Client.Reply reply = client.post(http, V3Requests.REFUND_PATH, json(requests.refund(refund)));
        Outcome outcome = outcomes.classify(reply);
        if (outcome instanceof Outcome.Delivered) {
            JsonNode answer = answer(reply);
            LOG.info("event {}: refund {} of order {} accepted by WeChat Pay as {} ({})", refund.id(),
                    refund.text("refundId"), refund.text("orderId"), answer.path("refund_id").asText("?"),
                    answer.path("status").asText("?"));
        }
        return outcome;
    }

    /** A verified answer's JSON; a missing node when it is not JSON (then no field is found). */
    private JsonNode answer(WeChatPayV3Client.Reply reply) {
        try {
            JsonNode json = mapper.readTree(reply.body());
            return json == null ? mapper.missingNode() : json;
        } catch (IOException e) {
            return mapper.missingNode();
        }
    }

    private String json(JsonNode body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a WeChat Pay request", e);
        }
    }

    @Override
    public String toString() {
        return NAME + "[" + destination.name() + ", " + merchant + "]";
    }
}
