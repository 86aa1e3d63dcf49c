package io.mphub.provider.wechat;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Placeholders filled from a CloudEvent, and the subscribeMessage.send body they make. */
class MessageTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode event() throws Exception {
        return JSON.readTree("""
                {"specversion":"1.0","id":"evt-1","source":"/mphub","type":"mp.logistics.updated",
                 "time":"2026-03-01T02:03:04Z","subject":"oUser1",
                 "data":{"appId":"wx00000000000000a1","orderId":"ORDER0001","openId":"oUser1","carrier":"shunfeng",
                         "waybillNo":"SF1234567890","state":"0",
                         "latest":{"time":"2026-03-01 10:00:00","context":"快件已到达【北京顺义集散中心】，正在发往下一站"}}}""");
    }

    private static MessageTemplate template(Map<String, String> data, String page) {
        Map<String, Placeholders> parsed = new LinkedHashMap<>();
        data.forEach((k, v) -> parsed.put(k, Placeholders.parse(v)));
        return new MessageTemplate("mp.logistics.updated", Map.of("*", "TPL"), page == null ? null : Placeholders.parse(page),
                parsed, "trial", "en_US");
    }

    @Test
    void rendersTheDocumentedBodyWithValuesByRule() throws Exception {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("character_string1", "{data.waybillNo}");
        data.put("thing2", "{data.latest.context}");
        data.put("time3", "{time}");
        data.put("thing4", "{data.orderId} {data.carrier}");
        JsonNode body = template(data, "pages/order/detail?id={data.orderId}&u={subject}").render(event(), "TPL-ID", JSON);

        assertThat(body.get("touser").asText()).isEqualTo("oUser1");
        assertThat(body.get("template_id").asText()).isEqualTo("TPL-ID");
        assertThat(body.get("page").asText()).isEqualTo("pages/order/detail?id=ORDER0001&u=oUser1");
        assertThat(body.get("miniprogram_state").asText()).isEqualTo("trial");
        assertThat(body.get("lang").asText()).isEqualTo("en_US");
        JsonNode values = body.get("data");
        assertThat(values.get("character_string1").get("value").asText()).isEqualTo("SF1234567890");
        assertThat(values.get("thing2").get("value").asText()).isEqualTo("快件已到达【北京顺义集散中心】，正在发…");
        assertThat(values.get("time3").get("value").asText()).isEqualTo("2026-03-01 10:03");
        assertThat(values.get("thing4").get("value").asText()).isEqualTo("ORDER0001 shunfeng");
        assertThat(values.size()).isEqualTo(4);
    }

    @Test
    void noPageMeansNoPageField() throws Exception {
        JsonNode body = template(Map.of("thing1", "{data.carrier}"), null).render(event(), "TPL", JSON);
        assertThat(body.has("page")).isFalse();
    }

    @Test
    void placeholderTheEventHasNoValueForFailsNamingIt() {
        Placeholders.MissingValueException e = catchThrowableOfType(Placeholders.MissingValueException.class,
                () -> template(Map.of("phone_number1", "{data.receiverPhone}"), null).render(event(), "TPL", JSON));
        assertThat(e).hasMessageContaining("{data.receiverPhone}");
    }

    @Test
    void valueBreakingItsRuleFailsTheRender() {
        assertThatThrownBy(() -> template(Map.of("character_string1", "{data.latest.context}"), null)
                .render(event(), "TPL", JSON)).isInstanceOf(ValueRules.ValueRuleException.class)
                .hasMessageStartingWith("character_string1");
    }

    @Test
    void placeholderSyntaxErrorsAreRefused() {
        assertThatThrownBy(() -> Placeholders.parse("{data.carrier")).hasMessageContaining("not closed");
        assertThatThrownBy(() -> Placeholders.parse("carrier}")).hasMessageContaining("'}' without '{'");
        assertThatThrownBy(() -> Placeholders.parse("a {} b")).hasMessageContaining("names nothing");
        assertThat(Placeholders.parse("{a} and {data.b.c}").names()).containsExactly("a", "data.b.c");
        assertThat(Placeholders.parse("plain").names()).isEmpty();
    }

    @Test
    void templateIdPerAppFallsBackToTheOneForEveryApp() {
        MessageTemplate t = new MessageTemplate("mp.order.shipped", Map.of("*", "ALL", "wx00000000000000a2", "A2"), null,
                Map.of(), "formal", "zh_CN");
        assertThat(t.templateIdFor("wx00000000000000a2")).contains("A2");
        assertThat(t.templateIdFor("wx00000000000000a1")).contains("ALL");
        MessageTemplate only = new MessageTemplate("mp.order.shipped", Map.of("wx00000000000000a2", "A2"), null,
                Map.of(), "formal", "zh_CN");
        assertThat(only.templateIdFor("wx00000000000000a1")).isEmpty();
    }
}
