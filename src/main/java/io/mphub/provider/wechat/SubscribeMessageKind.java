package io.mphub.provider.wechat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Kind;
import io.mphub.deliver.Outcome;
import io.mphub.provider.Endpoints;
import io.mphub.provider.ProviderCall;

/**
 * Kind {@code wechat-subscribe-message}: each event whose type has a template in
 * {@code routes/subscribe-messages.yaml} becomes one {@code POST /cgi-bin/message/subscribe/send} to the user
 * ({@code data.openId}), with the app's shared access token. An invalid token is renewed and the message sent once
 * more within the same attempt; every other answer is classified by {@link SubscribeMessageAnswers}.
 */
public final class SubscribeMessageKind implements Kind {

    static final String SEND_PATH = "/cgi-bin/message/subscribe/send";

    private final Destination destination;
    private final URI sendUrl;
    private final MessageTemplates templates;
    private final AccessTokens tokens;
    private final SubscribeMessageAnswers answers;
    private final ProviderCall call;
    private final ObjectMapper mapper;

    public SubscribeMessageKind(Destination destination, MessageTemplates templates, AccessTokens tokens,
            SubscribeMessageAnswers answers, ProviderCall call, ObjectMapper mapper) {
        this.destination = destination;
        this.sendUrl = Endpoints.under(destination.url(), SEND_PATH);
        this.templates = templates;
        this.tokens = tokens;
        this.answers = answers;
        this.call = call;
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
        if (!tokens.knows(appId)) {
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
            AccessToken token = tokens.current(appId);
            Answer answer = send(http, token, body);
            if (answer.outcome() == null && SubscribeMessageAnswers.invalidToken(answer.errcode())) {
                // WeChat: 40001/40014/42001 → renew the token and send once more.
                answer = send(http, tokens.renew(appId, token), body);
            }
            return answer.outcome() != null ? answer.outcome() : answers.classify(answer.errcode(), answer.errmsg());
        } catch (TokenException noToken) {
            return answers.tokenFailure(noToken);
        }
    }

    /** WeChat's errcode and errmsg, or the outcome when the answer was not one (network, HTTP status, garbage). */
    private record Answer(int errcode, String errmsg, Outcome outcome) {
    }

    private Answer send(HttpClient http, AccessToken token, byte[] body) throws InterruptedException {
        // The token is in the query, as WeChat requires: this URI is never logged or put in an outcome.
        URI uri = URI.create(sendUrl + "?access_token=" + URLEncoder.encode(token.value(), StandardCharsets.UTF_8));
        ProviderCall.Answer sent = call.send(http, HttpRequest.newBuilder(uri).timeout(destination.timeout())
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        if (sent.failure() != null) {
            return new Answer(0, "", sent.failure());
        }
        HttpResponse<byte[]> response = sent.response();
        if (response.statusCode() != 200) {
            return new Answer(0, "", call.http().classify(response.statusCode(),
                    response.headers().firstValue("retry-after")));
        }
        try {
            JsonNode answer = mapper.readTree(response.body());
            if (!answer.path("errcode").isInt()) {
                return new Answer(0, "", new Outcome.Retry("bad_answer", "WeChat answered without an errcode", null));
            }
            return new Answer(answer.get("errcode").asInt(), answer.path("errmsg").asText(""), null);
        } catch (IOException e) {
            return new Answer(0, "", new Outcome.Retry("bad_answer", "WeChat answered something that is not JSON", null));
        }
    }
}
