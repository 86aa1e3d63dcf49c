package io.mphub.provider.wechatpay;

import java.net.URI;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.config.Secret;
import io.mphub.testing.Events;
import io.mphub.testing.TestSecrets;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class V3RequestsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final V3Merchant MERCHANT = new V3Merchant("1900009191", "5157F09E", TestSecrets.rsa2048().getPrivate(),
            Map.of(), new Secret(TestSecrets.alphanumeric(32)), URI.create("https://pay.example.com/callbacks/wechatpay"), null);

    private final V3Requests requests = new V3Requests(MAPPER, MERCHANT);

    private static OrderEvent event(String type, String data) {
        return OrderEvent.parse(MAPPER, "evt-1", Events.structured("evt-1", type, "oUser1", data).getBytes(UTF_8));
    }

    @Test
    void prepayCarriesWhatTheJsapiOrderNeeds() {
        String body = requests.prepay(event("mp.order.created", Events.orderCreated("oUser1", "ORDER0001"))).toString();

        assertThat(body).isEqualTo("{\"appid\":\"wx1234567890abcdef\",\"mchid\":\"1900009191\","
                + "\"description\":\"Oolong tea\",\"out_trade_no\":\"ORDER0001\","
                + "\"notify_url\":\"https://pay.example.com/callbacks/wechatpay\","
                + "\"amount\":{\"total\":1999,\"currency\":\"CNY\"},\"payer\":{\"openid\":\"oUser1\"}}");
    }

    @Test
    void descriptionIsCutAt127CharactersWithoutSplittingASurrogatePair() {
        // 126 letters then emoji (2 UTF-16 units each): the 127th character is the first emoji, kept whole
        String description = "a".repeat(126) + "🍵🍵🍵";
        String data = Events.orderCreated("oUser1", "ORDER0001").replace("Oolong tea", description);

        String cut = requests.prepay(event("mp.order.created", data)).path("description").asText();

        assertThat(cut.codePointCount(0, cut.length())).isEqualTo(127);
        assertThat(cut).isEqualTo("a".repeat(126) + "🍵");
    }

    @Test
    void refundCarriesOrderRefundNumbersReasonAndAmounts() {
        String body = requests.refund(event("mp.order.refunded", Events.orderRefunded("oUser1", "ORDER0001"))).toString();

        assertThat(body).isEqualTo("{\"out_trade_no\":\"ORDER0001\",\"out_refund_no\":\"RORDER0001\","
                + "\"reason\":\"changed mind\",\"amount\":{\"refund\":1999,\"total\":1999,\"currency\":\"CNY\"}}");
    }

    @Test
    void refundNotifyUrlIsSentWhenConfigured() {
        V3Requests withNotify = new V3Requests(MAPPER, new V3Merchant("1900009191", "5157F09E", MERCHANT.merchantKey(),
                Map.of(), MERCHANT.apiV3Key(), MERCHANT.notifyUrl(), URI.create("https://pay.example.com/refunds")));

        assertThat(withNotify.refund(event("mp.order.refunded", Events.orderRefunded("oUser1", "ORDER0001")))
                .path("notify_url").asText()).isEqualTo("https://pay.example.com/refunds");
    }

    @Test
    void fieldDroppedByTheDataContractIsNamed() {
        String data = Events.orderCreated("oUser1", "ORDER0001").replace("\"openId\":\"oUser1\",", "");

        assertThatThrownBy(() -> requests.prepay(event("mp.order.created", data)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data.openId is missing")
                .hasMessageContaining("fields");
    }
}
