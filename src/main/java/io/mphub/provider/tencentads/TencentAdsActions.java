package io.mphub.provider.tencentads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.deliver.BatchEvent;
import io.mphub.deliver.BatchKind.Encoded;
import io.mphub.deliver.Outcome;
import io.mphub.provider.EventNames;
import io.mphub.provider.TrackedEvent;
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
        TrackedEvent.Read read = TrackedEvent.read(mapper, event, "Tencent Ads' wechat_openid",
                "Tencent Ads' action_time");
        if (read.problem() != null) {
            return Encoded.refused(read.problem());
        }
        TrackedEvent tracked = read.event();
        JsonNode data = tracked.data();
        String appId = data.path("appId").asText("");
        if (appId.isEmpty()) {
            return Encoded.refused(new Outcome.Permanent("missing_field", "the event has no data.appId (Tencent Ads'"
                    + " wechat_app_id, required with the openid)"));
        }
        ObjectNode action = mapper.createObjectNode().put("outer_action_id", Digests.sha256Hex(event.id()))
                .put("action_time", tracked.time().getEpochSecond()).put("action_type", actionType);
        ObjectNode user = action.putObject("user_id").put("wechat_openid", data.path("openId").asText(tracked.user()))
                .put("wechat_app_id", appId);
        if (data.path("unionId").isTextual()) {
            user.put("wechat_unionid", data.path("unionId").asText());
        }
        if (data.path("adClickId").isTextual()) {
            action.putObject("trace").put("click_id", data.path("adClickId").asText());
        }
        if (data.path("amount").path("total").canConvertToLong()) {
            action.putObject("action_param").put("value", data.path("amount").path("total").asLong());
        }
        return new TrackedEvent.Built(action, null).encoded(mapper);
    }
}
