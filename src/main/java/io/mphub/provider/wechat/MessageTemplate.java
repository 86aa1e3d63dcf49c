package io.mphub.provider.wechat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The subscribe message one event type becomes, as {@code routes/subscribe-messages.yaml} maps it.
 *
 * @param templateIds      the template id per AppID ({@link #ANY_APP}: every app); template ids belong to one mini program
 * @param page             where tapping the message leads, or null
 * @param data             template key ({@code thing1}) → its value with placeholders, in file order
 * @param miniprogramState {@code developer}, {@code trial} or {@code formal}: which version the tap opens
 * @param lang             {@code zh_CN}, {@code en_US}, {@code zh_HK} or {@code zh_TW}
 */
public record MessageTemplate(String eventType, Map<String, String> templateIds, Placeholders page,
        Map<String, Placeholders> data, String miniprogramState, String lang) {

    public static final String ANY_APP = "*";

    public Optional<String> templateIdFor(String appId) {
        return Optional.ofNullable(templateIds.getOrDefault(appId, templateIds.get(ANY_APP)));
    }

    /**
     * The body of {@code subscribeMessage.send} for one event:
     * {@code {touser, template_id, page, data: {key: {value}}, miniprogram_state, lang}}.
     */
    public ObjectNode render(JsonNode event, String templateId, ObjectMapper mapper)
            throws Placeholders.MissingValueException, ValueRules.ValueRuleException {
        ObjectNode body = mapper.createObjectNode()
                .put("touser", event.path("data").path("openId").asText(event.path("subject").asText()))
                .put("template_id", templateId);
        if (page != null) {
            body.put("page", page.fill(name -> value(event, name)));
        }
        ObjectNode values = body.putObject("data");
        Map<String, String> filled = new LinkedHashMap<>();
        for (Map.Entry<String, Placeholders> entry : data.entrySet()) {
            filled.put(entry.getKey(), ValueRules.apply(entry.getKey(), entry.getValue().fill(name -> value(event, name))));
        }
        filled.forEach((key, value) -> values.putObject(key).put("value", value));
        return body.put("miniprogram_state", miniprogramState).put("lang", lang);
    }

    /** An attribute ({@code time}) or a data path ({@code data.latest.context}); null when the event has none. */
    static String value(JsonNode event, String name) {
        JsonNode node = event.at("/" + name.replace('.', '/'));
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }
}
