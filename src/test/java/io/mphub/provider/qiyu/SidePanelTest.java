package io.mphub.provider.qiyu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.provider.OutgoingEvent;
import io.mphub.testing.Events;
import org.junit.jupiter.api.Test;

class SidePanelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SidePanel panel = new SidePanel(JSON, Optional.of("https://admin.example.com/orders/{orderId}"));

    private static OutgoingEvent event(String type, String data) throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(Events.structured("e-1", type, "oUser1", data));
        event.put("time", "2026-11-24T08:30:00Z");
        return OutgoingEvent.read(JSON, JSON.writeValueAsBytes(event));
    }

    /** key → value of the userinfo items. */
    private Map<String, String> values(OutgoingEvent event) {
        ArrayNode items = panel.userinfo(event).orElseThrow();
        Map<String, String> values = new LinkedHashMap<>();
        items.forEach(i -> values.put(i.get("key").asText(), i.get("value").asText()));
        return values;
    }

    @Test
    void loginShowsPlatformSceneLastLoginInBeijingTimeAndTheEnrichedAddress() throws Exception {
        OutgoingEvent login = event("mp.user.login", Events.login("oUser1"));
        ((ObjectNode) login.event()).put("mphubaddress", "北京市东城区东华门街道");

        assertThat(values(login)).containsExactly(Map.entry("mp_app", Events.APP), Map.entry("platform", "android"),
                Map.entry("scene", "1001 发现栏小程序主入口"), Map.entry("last_login", "2026-11-24 16:30:00"),
                Map.entry("location", "北京市东城区东华门街道"));
    }

    @Test
    void loginWithoutEnrichmentShowsTheCoordinates() throws Exception {
        assertThat(values(event("mp.user.login", Events.login("oUser1")))).containsEntry("location", "39.9042, 116.4074");
    }

    @Test
    void everyItemHasKeyValueLabelIndexAndHiddenAndTheOrderLinksToTheAdmin() throws Exception {
        ArrayNode items = panel.userinfo(event("mp.order.created", Events.orderCreated("oUser1", "ORDER20261124001")))
                .orElseThrow();

        for (JsonNode item : items) {
            assertThat(item.fieldNames()).toIterable().contains("key", "value", "label", "index", "hidden");
        }
        JsonNode order = items.get(1);
        assertThat(order.get("key").asText()).isEqualTo("order_id");
        assertThat(order.get("label").asText()).isEqualTo("最近订单");
        assertThat(order.get("index").asInt()).isEqualTo(SidePanel.Field.ORDER.ordinal());
        assertThat(order.get("href").asText()).isEqualTo("https://admin.example.com/orders/ORDER20261124001");
    }

    @Test
    void ordersShowStatusAmountInYuanAndWhatEachStageAdds() throws Exception {
        assertThat(values(event("mp.order.created", Events.orderCreated("oUser1", "ORDER20261124001"))))
                .containsEntry("order_status", "待支付").containsEntry("order_amount", "¥19.99")
                .containsEntry("order_goods", "Oolong tea");
        assertThat(values(event("mp.order.paid", Events.orderPaid("oUser1", "ORDER20261124001"))))
                .containsEntry("order_status", "已支付").containsEntry("transaction_id", "4200001234202611240000000001");
        assertThat(values(event("mp.order.shipped", Events.orderShipped("oUser1", "ORDER20261124001"))))
                .containsEntry("order_status", "已发货").containsEntry("waybill", "顺丰速运 SF1234567890");
        assertThat(values(event("mp.order.refunded", Events.orderRefunded("oUser1", "ORDER20261124001"))))
                .containsEntry("order_status", "已退款").containsEntry("refund", "¥19.99（changed mind）");
    }

    @Test
    void theHubsOwnPaymentAndLogisticsEventsUpdateThePanelToo() throws Exception {
        String payment = "{\"appId\":\"" + Events.APP + "\",\"orderId\":\"ORDER20261124001\",\"openId\":\"oUser1\","
                + "\"transactionId\":\"4200001\",\"successTime\":\"2026-11-24T16:30:00+08:00\","
                + "\"amount\":{\"total\":12345,\"payerTotal\":12345,\"currency\":\"CNY\"}}";
        String logistics = "{\"appId\":\"" + Events.APP + "\",\"orderId\":\"ORDER20261124001\",\"openId\":\"oUser1\","
                + "\"carrier\":\"zhongtong\",\"waybillNo\":\"ZT1\",\"state\":\"3\",\"status\":\"shutdown\","
                + "\"latest\":{\"time\":\"2026-11-25 10:00:00\",\"context\":\"已签收\"},\"checkpoints\":[]}";

        assertThat(values(event("mp.payment.succeeded", payment))).containsEntry("order_status", "已支付")
                .containsEntry("order_amount", "¥123.45");
        assertThat(values(event("mp.logistics.updated", logistics))).containsEntry("waybill", "中通快递 ZT1")
                .containsEntry("logistics", "签收 · 已签收 (2026-11-25 10:00:00)");
    }

    @Test
    void otherTypesAreNotThePanelsBusiness() throws Exception {
        assertThat(panel.userinfo(event("mp.behaviour.tap", Events.behaviour("oUser1", "pages/index/index")))).isEmpty();
    }

    @Test
    void amountsAndCodesReadAsAnAgentExpects() {
        assertThat(PanelText.amount(1, "CNY")).isEqualTo("¥0.01");
        assertThat(PanelText.amount(100000, "USD")).isEqualTo("1000.00 USD");
        assertThat(PanelText.scene("9999")).isEqualTo("9999");
        assertThat(PanelText.state("42")).isEqualTo("状态 42");
        assertThat(PanelText.carrier("unknownco")).isEqualTo("unknownco");
        assertThat(PanelText.time("yesterday")).isEqualTo("yesterday");
    }
}
