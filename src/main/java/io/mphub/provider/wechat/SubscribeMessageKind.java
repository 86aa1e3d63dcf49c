package io.mphub.provider.wechat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Kind;
import io.mphub.deliver.Outcome;
import io.mphub.provider.Endpoints;

/**
 * Kind {@code wechat-subscribe-message}: each event whose type has a template in
 * {@code routes/subscribe-messages.yaml} becomes one {@code POST /cgi-bin/message/subscribe/send} to the user
 * ({@code data.openId}), with the app's shared access token ({@link WeChatApi}: an invalid token is renewed and the
 * message sent once more within the same attempt); every other answer is classified by {@link WeChatAnswers}.
 */
public final class SubscribeMessageKind implements Kind {

    static final String SEND_PATH = "/cgi-bin/message/subscribe/send";
    private static final String API = "subscribeMessage.send";

    private final Destination destination;
    private final URI sendUrl;
    private final MessageTemplates templates;
    private final WeChatApi api;
    private final WeChatAnswers answers;
    private final ObjectMapper mapper;

    SubscribeMessageKind(Destination destination, MessageTemplates templates, WeChatApi api, WeChatAnswers answers,
            ObjectMapper mapper) {
        this.destination = destination;
        this.sendUrl = Endpoints.under(destination.url(), SEND_PATH);
        this.templates = templates;
        this.api = api;
        this.answers = answers;
        this.mapper = mapper;
    }

    @Override
    public Outcome attempt(HttpClient http, String eventId, byte[] event) throws InterruptedException {
        JsonNode e;
        try {
            e = mapper.readTree(event);
        } catch (IOException bad) {
            return new Outcome.Permanent("bad_event", "the event is not JSON");
        }
        String type = e.path("type").asText();
        String appId = e.path("data").path("appId").asText();
        Optional<MessageTemplate> template = templates.forType(type);
        Optional<String> templateId = template.flatMap(t -> t.templateIdFor(appId));
        if (templateId.isEmpty()) {
            return new Outcome.Skipped("no_template", "no subscribe-message template for " + type
                    + (template.isPresent() ? " of app " + appId : ""));
        }
        if (!api.knows(appId)) {
            return new Outcome.Permanent("unknown_app", "app " + appId + " is not in " + WeChatSettings.APP_IDS.key());
        }
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(template.get().render(e, templateId.get(), mapper));
        } catch (Placeholders.MissingValueException missing) {
            // The mapping names an optional field this event lacks (a parcel update without checkpoints).
            return new Outcome.Permanent("missing_value", type + " → template " + templateId.get() + ": "
                    + missing.getMessage());
        } catch (ValueRules.ValueRuleException rule) {
            return new Outcome.Permanent("value_rule", type + " → template " + templateId.get() + ": " + rule.getMessage());
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        try {
            WeChatApi.Answer answer = api.post(http, appId, sendUrl, body, destination.timeout());
            return answer.outcome() != null ? answer.outcome()
                    : answers.classify(API, answer.errcode(), answer.errmsg());
        } catch (TokenException noToken) {
            return answers.tokenFailure(noToken);
        }
    }
}
