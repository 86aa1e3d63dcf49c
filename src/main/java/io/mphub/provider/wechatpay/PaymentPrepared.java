package io.mphub.provider.wechatpay;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.event.Results;

/**
 * Publishes {@code mp.payment.prepared} (schemas/mp.payment.prepared.json) once WeChat Pay accepted an order: the
 * {@code wx.requestPayment} parameters the backend hands to the mini program. Same subject as the order event,
 * caused by it, and with an id derived from it, so a redelivered order yields the same id.
 */
final class PaymentPrepared {

    static final String TYPE = "mp.payment.prepared";

    private final Results results;
    private final ObjectMapper mapper;

    PaymentPrepared(Results results, ObjectMapper mapper) {
        this.results = results;
        this.mapper = mapper;
    }

    static String id(String orderEventId) {
        return "prepared-" + orderEventId;
    }

    /**
     * Waits for Kafka's acknowledgement.
     *
     * @param requestPayment timeStamp, nonceStr, package, signType and paySign, in that order
     * @throws io.mphub.kafka.OutboxWriteException when Kafka does not take it
     */
    void publish(OrderEvent order, String prepayId, Map<String, String> requestPayment) {
        ObjectNode data = mapper.createObjectNode();
        data.put("appId", order.text("appId"));
        data.put("orderId", order.text("orderId"));
        data.put("openId", order.text("openId"));
        data.put("prepayId", prepayId);
        ObjectNode parameters = data.putObject("requestPayment");
        requestPayment.forEach(parameters::put);
        String subject = order.subject().isEmpty() ? order.text("openId") : order.subject();
        results.publish(id(order.id()), TYPE, subject, order.id(), data);
    }
}
