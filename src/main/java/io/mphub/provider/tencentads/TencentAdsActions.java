package io.mphub.provider.tencentads;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.deliver.BatchEvent;
import io.mphub.deliver.BatchKind.Encoded;
import io.mphub.deliver.Outcome;
import io.mphub.provider.EventNames;
import io.mphub.sign.Digests;

/**
 * An event as one Tencent Ads user action ({@code user_actions/add}): {@code outer_action_id} (the event id's SHA-256,
 * as Tencent takes only letters, digits and '_' there, and drops a repeat by it), {@code action_time} (the event's
 * time, Unix seconds), {@code action_type} (mapped from the event type), {@code user_id} {@code {wechat_openid,
 * wechat_app_id}} (required for a mini program's user action set; {@code wechat_unionid} too when the event has one),
 * {@code trace.click_id} (the event's {@code data.adClickId}, when the user came from an ad), and {@code action_param}
 * {@code {value}}: an order's amount in fen.
 */
final class TencentAdsActions {

    private final ObjectMapper mapper;
    private final EventNames actionTypes;

    TencentAdsActions(ObjectMapper mapper, EventNames actionTypes) {
        this.mapper = mapper;
        this.actionTypes = actionTypes;
    }

    Encoded encode(BatchEvent event) {
        String actionType = actionTypes.mapped().get(event.type());
        if (actionType == null) {
            return Encoded.skipped(new Outcome.Skipped("no_action_type", event.type() + " is not mapped to a Tencent"
                    + " Ads action type"));
        }
        JsonNode e;
        try {
            e = mapper.readTree(event.body());
        } catch (IOException bad) {
            return refused("bad_event", "the event is not JSON");
        }
        JsonNode data = e.path("data");
        String openId = data.path("openId").asText("");
        String appId = data.path("appId").asText("");
        if (openId.isEmpty() || appId.isEmpty()) {
            return refused("no_user", "Tencent Ads needs the user's wechat_openid and wechat_app_id: the event has no"
                    + " data.openId or data.appId");
        }
        long time;
        try {
            time = OffsetDateTime.parse(e.path("time").asText()).toEpochSecond();
        } catch (DateTimeParseException bad) {
            return refused("bad_time", "the event's time is not a date-time");
        }
        ObjectNode action = mapper.createObjectNode().put("outer_action_id", Digests.sha256Hex(event.id()))
                .put("action_time", time).put("action_type", actionType);
        ObjectNode user = action.putObject("user_id").put("wechat_openid", openId).put("wechat_app_id", appId);
        if (data.path("unionId").isTextual()) {
            user.put("wechat_unionid", data.path("unionId").asText());
        }
        if (data.path("adClickId").isTextual()) {
            action.putObject("trace").put("click_id", data.path("adClickId").asText());
        }
        if (data.path("amount").path("total").canConvertToLong()) {
            action.putObject("action_param").put("value", data.path("amount").path("total").asLong());
        }
        return Encoded.of(action.toString().getBytes(UTF_8));
    }

    private static Encoded refused(String reason, String message) {
        return Encoded.refused(new Outcome.Permanent(reason, message));
    }
}
