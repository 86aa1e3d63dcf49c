package io.mphub.provider.qiyu;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.provider.OutgoingEvent;

/**
 * What an event shows on the agent's side panel (Qiyu's 「用户资料」 tab): the {@code userinfo} items of an
 * {@code updateUInfo} call. Each field has a fixed key, label and position, so the panel keeps its layout whichever
 * event updated it last; an event sends only the fields it knows.
 */
final class SidePanel {

    /** The panel's fields, in their order on the panel. */
    enum Field {
        APP("mp_app", "小程序"),
        PLATFORM("platform", "平台"),
        SCENE("scene", "进入场景"),
        LAST_LOGIN("last_login", "上次登录"),
        LOCATION("location", "登录位置"),
        ORDER("order_id", "最近订单"),
        ORDER_STATUS("order_status", "订单状态"),
        AMOUNT("order_amount", "订单金额"),
        GOODS("order_goods", "商品"),
        TRANSACTION("transaction_id", "微信支付单号"),
        WAYBILL("waybill", "运单"),
        LOGISTICS("logistics", "物流进度"),
        REFUND("refund", "退款");

        final String key;
        final String label;

        Field(String key, String label) {
            this.key = key;
            this.label = label;
        }
    }

    /** The event types the panel shows; any other type is not Qiyu's business. */
    static final List<String> TYPES = List.of("mp.user.login", "mp.order.created", "mp.order.paid",
            "mp.payment.succeeded", "mp.order.shipped", "mp.order.refunded", "mp.logistics.updated");
    /** The hub's enrichment attribute with the reverse-geocoded address of a login's location. */
    static final String ADDRESS = "mphubaddress";

    private final ObjectMapper mapper;
    private final Optional<String> orderLink;

    SidePanel(ObjectMapper mapper, Optional<String> orderLink) {
        this.mapper = mapper;
        this.orderLink = orderLink;
    }

    /** The {@code userinfo} array for the event, or empty when its type is not one of {@link #TYPES}. */
    Optional<ArrayNode> userinfo(OutgoingEvent event) {
        if (!TYPES.contains(event.type())) {
            return Optional.empty();
        }
        Items items = new Items();
        items.put(Field.APP, event.text("appId"));
        switch (event.type()) {
            case "mp.user.login" -> {
                items.put(Field.PLATFORM, event.text("platform"));
                items.put(Field.SCENE, event.text("scene").map(PanelText::scene));
                items.put(Field.LAST_LOGIN, event.attribute("time").map(PanelText::time));
                items.put(Field.LOCATION, address(event));
            }
            case "mp.order.created" -> {
                order(items, event, "待支付");
                items.put(Field.GOODS, event.text("description"));
            }
            case "mp.order.paid", "mp.payment.succeeded" -> {
                order(items, event, "已支付");
                items.put(Field.TRANSACTION, event.text("transactionId"));
            }
            case "mp.order.shipped" -> {
                order(items, event, "已发货");
                items.put(Field.WAYBILL, waybill(event));
            }
            case "mp.order.refunded" -> {
                order(items, event, "已退款");
                JsonNode amount = event.data().path("amount");
                if (amount.path("refund").canConvertToLong()) {
                    String refund = PanelText.amount(amount.get("refund").asLong(), amount.path("currency").asText(null));
                    items.put(Field.REFUND, Optional.of(event.text("reason").map(r -> refund + "（" + r + "）").orElse(refund)));
                }
            }
            case "mp.logistics.updated" -> {
                items.put(Field.ORDER, event.text("orderId"), orderHref(event));
                items.put(Field.WAYBILL, waybill(event));
                items.put(Field.LOGISTICS, logistics(event));
            }
            default -> throw new IllegalStateException(event.type());
        }
        return Optional.of(items.toJson(mapper));
    }

    private void order(Items items, OutgoingEvent event, String status) {
        items.put(Field.ORDER, event.text("orderId"), orderHref(event));
        items.put(Field.ORDER_STATUS, Optional.of(status));
        JsonNode amount = event.data().path("amount");
        if (amount.path("total").canConvertToLong()) {
            items.put(Field.AMOUNT, Optional.of(PanelText.amount(amount.get("total").asLong(),
                    amount.path("currency").asText(null))));
        }
    }

    private Optional<String> orderHref(OutgoingEvent event) {
        return orderLink.flatMap(link -> event.text("orderId").map(id -> link.replace(QiyuSettings.ORDER_ID,
                URLEncoder.encode(id, UTF_8))));
    }

    private static Optional<String> waybill(OutgoingEvent event) {
        return event.text("waybillNo").map(no -> event.text("carrier").map(c -> PanelText.carrier(c) + " " + no).orElse(no));
    }

    /** "签收 · 已签收，签收人：本人 (2026-11-24 10:00:00)": the state, then the latest checkpoint. */
    private static Optional<String> logistics(OutgoingEvent event) {
        Optional<String> state = event.text("state").map(PanelText::state);
        JsonNode latest = event.data().path("latest");
        String context = latest.path("context").asText("");
        String time = latest.path("time").asText("");
        if (context.isBlank()) {
            return state;
        }
        String checkpoint = context + (time.isBlank() ? "" : " (" + time + ")");
        return Optional.of(state.map(s -> s + " · " + checkpoint).orElse(checkpoint));
    }

    /** The enriched address when the hub found one, else the raw coordinates. */
    private static Optional<String> address(OutgoingEvent event) {
        JsonNode address = event.event().path(ADDRESS);
        if (address.isTextual() && !address.asText().isBlank()) {
            return Optional.of(address.asText());
        }
        if (address.isObject() && address.path("address").isTextual()) {
            return Optional.of(address.get("address").asText());
        }
        JsonNode location = event.data().path("location");
        if (location.path("latitude").isNumber() && location.path("longitude").isNumber()) {
            return Optional.of(location.get("latitude").asText() + ", " + location.get("longitude").asText());
        }
        return Optional.empty();
    }

    /** One item of the panel. */
    private record Item(Field field, String value, String href) {
    }

    /** The items of one call, in the order they were put. */
    private static final class Items {
        private final List<Item> items = new ArrayList<>();

        void put(Field field, Optional<String> value) {
            put(field, value, Optional.empty());
        }

        void put(Field field, Optional<String> value, Optional<String> href) {
            value.ifPresent(v -> items.add(new Item(field, v, href.orElse(null))));
        }

        ArrayNode toJson(ObjectMapper mapper) {
            ArrayNode array = mapper.createArrayNode();
            for (Item item : items) {
                ObjectNode node = array.addObject()
                        .put("key", item.field().key)
                        .put("value", item.value())
                        .put("label", item.field().label)
                        .put("index", item.field().ordinal())
                        .put("hidden", false);
                if (item.href() != null) {
                    node.put("href", item.href());
                }
            }
            return array;
        }
    }
}
