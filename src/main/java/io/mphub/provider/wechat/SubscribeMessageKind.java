package io.mphub.provider.wechat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.config.ConfigurationException;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Settings;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Outcome;
import io.mphub.deliver.WebhookOutcomes;
import io.mphub.provider.DestinationKind;
import io.mphub.provider.Endpoints;
import io.mphub.provider.Kind;
import io.mphub.provider.ProviderContext;

/**
 * Kind {@code wechat-subscribe-message}: each event whose type has a template in
 * {@code routes/subscribe-messages.yaml} becomes one {@code POST /cgi-bin/message/subscribe/send} to the user
 * ({@code data.openId}), with the app's shared access token. An invalid token is renewed and the message sent once
 * more within the same attempt; every other answer is classified by {@link SubscribeAnswers}.
 */
public final class SubscribeMessageKind implements DestinationKind {

    public static final String NAME = "wechat-subscribe-message";
    public static final String TEMPLATES = "mphub.wechat.subscribe-messages";
    static final String SEND_PATH = "/cgi-bin/message/subscribe/send";

    private final Destination destination;
    private final URI sendUrl;
    private final MessageTemplates templates;
    private final AccessTokens tokens;
    private final SubscribeAnswers answers;
    private final WebhookOutcomes transport;
    private final ObjectMapper mapper;

    public SubscribeMessageKind(Destination destination, MessageTemplates templates, AccessTokens tokens,
            SubscribeAnswers answers, WebhookOutcomes transport, ObjectMapper mapper) {
        this.destination = destination;
        this.sendUrl = Endpoints.under(destination.url(), SEND_PATH);
        this.templates = templates;
        this.tokens = tokens;
        this.answers = answers;
        this.transport = transport;
        this.mapper = mapper;
    }

    public static Kind kind() {
        return new Kind(NAME, WeChatApps.DEFAULT_API_URL, SubscribeMessageKind::check, SubscribeMessageKind::create);
    }

    /**
     * Start-up: the WeChat apps, the destination's URL on the token API's host, and the templates file with every
     * problem at its line.
     */
    static void check(String destination, Settings settings, List<Problem> problems) {
        WeChatApps.check(settings, problems);
        sameHostAsTokens(destination, settings, problems);
        templates(settings, problems);
    }

    /**
     * Tokens come from {@code mphub.wechat.api-url} and travel in the query of every message to the destination's
     * URL: pointing only one of them at a sandbox or proxy would hand real access tokens to another host. Refused
     * rather than derived, so that each setting keeps meaning what it says; a path (a proxy's prefix) may differ.
     */
    static void sameHostAsTokens(String destination, Settings settings, List<Problem> problems) {
        String key = "mphub.destinations." + destination + ".url";
        String url = settings.get(key).orElse(WeChatApps.DEFAULT_API_URL);
        String apiUrl = settings.get(WeChatApps.API_URL, WeChatApps.DEFAULT_API_URL);
        Optional<String> sends = WeChatApps.origin(url);
        Optional<String> tokens = WeChatApps.origin(apiUrl);
        if (sends.isPresent() && tokens.isPresent() && !sends.equals(tokens)) {
            problems.add(Problem.setting(key, "destination '" + destination + "' would send the access tokens of "
                    + WeChatApps.API_URL + " (" + Settings.envName(WeChatApps.API_URL) + ", " + tokens.get()
                    + ") in the query of every message to another host, " + sends.get(),
                    "point " + Settings.envName(key) + " and " + Settings.envName(WeChatApps.API_URL)
                            + " at the same host and port: " + WeChatApps.DEFAULT_API_URL + " (leave both unset),"
                            + " or both at your sandbox or proxy"));
        }
    }

    static SubscribeMessageKind create(Destination destination, ProviderContext context) {
        List<Problem> problems = new ArrayList<>();
        MessageTemplates templates = templates(context.settings(), problems)
                .orElseThrow(() -> new ConfigurationException(problems));
        return new SubscribeMessageKind(destination, templates, context.wechatTokens(),
                new SubscribeAnswers(new QuotaWindows(context.clock())), new WebhookOutcomes(context.clock()),
                context.mapper());
    }

    private static Optional<MessageTemplates> templates(Settings settings, List<Problem> problems) {
        Path file = Path.of(settings.get(TEMPLATES)
                .orElse(settings.get("mphub.routes.dir", "routes") + "/subscribe-messages.yaml"));
        EventFields fields;
        try {
            fields = EventFields.load(Path.of(settings.get("mphub.schemas.dir", "schemas")), new ObjectMapper());
        } catch (IOException | UncheckedIOException e) {
            // The schemas directory itself is checked when the contract loads; nothing to name here.
            return Optional.empty();
        }
        return MessageTemplatesFile.load(file, fields, Set.copyOf(WeChatApps.appIds(settings)), problems);
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
            return new Outcome.Permanent("unknown_app", "app " + appId + " is not in " + WeChatApps.APP_IDS);
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
            if (answer.outcome() == null && SubscribeAnswers.invalidToken(answer.errcode())) {
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
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(destination.timeout())
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return new Answer(0, "", transport.classify(e));
        }
        if (response.statusCode() != 200) {
            return new Answer(0, "", transport.classify(response.statusCode(), response.headers().firstValue("retry-after")));
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
