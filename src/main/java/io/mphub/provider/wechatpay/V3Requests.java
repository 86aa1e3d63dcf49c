package io.mphub.provider.wechatpay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the bodies of the WeChat Pay API v3 requests from order events: a JSAPI (mini-program) prepay order for
 * {@code mp.order.created}, a domestic refund for {@code mp.order.refunded}. Pure: same event, same body, so a retry
 * sends what WeChat Pay saw before (it treats a repeated out_trade_no / out_refund_no with the same content as the
 * same order / refund).
 */
final class V3Requests {

    static final String PREPAY_PATH = "/v3/pay/transactions/jsapi";
    static final String REFUND_PATH = "/v3/refund/domestic/refunds";
    // WeChat Pay v3: description string(127), refund reason string(80)
    static final int MAX_DESCRIPTION = 127;
    static final int MAX_REASON = 80;

    private final ObjectMapper mapper;
    private final V3Merchant merchant;

    V3Requests(ObjectMapper mapper, V3Merchant merchant) {
        this.mapper = mapper;
        this.merchant = merchant;
    }

    /** {@code POST /v3/pay/transactions/jsapi}: appid, mchid, description, out_trade_no, notify_url, amount, payer. */
    ObjectNode prepay(OrderEvent order) {
        ObjectNode body = mapper.createObjectNode();
        body.put("appid", order.text("appId"));
        body.put("mchid", merchant.mchid());
        body.put("description", Text.truncateCodePoints(order.text("description"), MAX_DESCRIPTION));
        body.put("out_trade_no", order.text("orderId"));
        body.put("notify_url", merchant.notifyUrl().toString());
        ObjectNode amount = body.putObject("amount");
        amount.put("total", order.integer("amount", "total"));
        amount.put("currency", order.text("amount", "currency"));
        body.putObject("payer").put("openid", order.text("openId"));
        return body;
    }

    /** {@code POST /v3/refund/domestic/refunds}: out_trade_no, out_refund_no, reason, notify_url, amount. */
    ObjectNode refund(OrderEvent refund) {
        ObjectNode body = mapper.createObjectNode();
        body.put("out_trade_no", refund.text("orderId"));
        body.put("out_refund_no", refund.text("refundId"));
        String reason = refund.optionalText("reason");
        if (reason != null) {
            body.put("reason", Text.truncateCodePoints(reason, MAX_REASON));
        }
        if (merchant.refundNotifyUrl() != null) {
            body.put("notify_url", merchant.refundNotifyUrl().toString());
        }
        ObjectNode amount = body.putObject("amount");
        amount.put("refund", refund.integer("amount", "refund"));
        amount.put("total", refund.integer("amount", "total"));
        amount.put("currency", refund.text("amount", "currency"));
        return body;
    }
}
