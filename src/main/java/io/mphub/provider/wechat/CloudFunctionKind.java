package io.mphub.provider.wechat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Kind;
import io.mphub.deliver.Outcome;
import io.mphub.event.Results;
import io.mphub.kafka.OversizedRecordException;
import io.mphub.provider.Endpoints;
import io.mphub.provider.OutgoingEvent;
import org.apache.camel.util.ObjectHelper;

/**
 * Kind {@code wechat-cloud-function}: each event whose type has a function in {@code routes/cloud-functions.yaml}
 * invokes it, {@code POST /tcb/invokecloudfunction?env=…&name=…} with the app's shared access token ({@link WeChatApi})
 * and the event, as this destination's data contract leaves it, as the function's input. WeChat's answer {@code
 * {errcode, errmsg, resp_data}} is classified by {@link WeChatAnswers}; when the file says so, {@code resp_data} (the
 * function's return value) is published on {@code mp.results} as {@code mp.cloud.function_returned}, caused by the
 * event, its id derived from the event's.
 */
public final class CloudFunctionKind implements Kind {

    static final String PATH = "/tcb/invokecloudfunction";
    static final String API = "invokeCloudFunction";
    public static final String RETURNED = "mp.cloud.function_returned";
    /** WeChat ends a call at 5 s: the hub waits that long and a second for the way there and back, never more. */
    static final Duration WECHAT_LIMIT = Duration.ofSeconds(6);
    private static final String PREFIX = "cloudfn-";

    private final Destination destination;
    private final CloudFunctions functions;
    private final WeChatApi api;
    private final WeChatAnswers answers;
    private final Results results;
    private final ObjectMapper mapper;
    private final Duration timeout;

    CloudFunctionKind(Destination destination, CloudFunctions functions, WeChatApi api, WeChatAnswers answers,
            Results results, ObjectMapper mapper) {
        this.destination = destination;
        this.functions = functions;
        this.api = api;
        this.answers = answers;
        this.results = results;
        this.mapper = mapper;
        this.timeout = destination.timeout().compareTo(WECHAT_LIMIT) < 0 ? destination.timeout() : WECHAT_LIMIT;
    }

    @Override
    public Outcome attempt(HttpClient http, String eventId, byte[] event) throws InterruptedException {
        return OutgoingEvent.readThen(mapper, event, e -> invoke(http, e, event));
    }

    private Outcome invoke(HttpClient http, OutgoingEvent e, byte[] event) throws InterruptedException {
        Optional<CloudFunctions.Function> function = functions.forType(e.type());
        if (function.isEmpty()) {
            return new Outcome.Skipped("no_function", "no cloud function for " + e.type());
        }
        String appId = e.text("appId").orElse("");
        if (!api.knows(appId)) {
            return new Outcome.Permanent("unknown_app", "app " + appId + " is not in " + WeChatSettings.APP_IDS.key());
        }
        String env = functions.envOf(appId);
        URI url = Endpoints.under(destination.url(), PATH + "?env=" + encode(env) + "&name="
                + encode(function.get().name()));
        WeChatApi.Answer answer;
        try {
            answer = api.post(http, appId, url, event, timeout);
        } catch (TokenException noToken) {
            return answers.tokenFailure(noToken);
        }
        if (answer.outcome() != null) {
            return answer.outcome();
        }
        Outcome outcome = answers.classify(API, answer.errcode(), answer.errmsg());
        if (outcome instanceof Outcome.Delivered && function.get().publishResult()) {
            try {
                publish(e, appId, env, function.get().name(), answer.body().path("resp_data"));
            } catch (RuntimeException kafka) {
                String said = "function " + function.get().name() + " returned, but its result could not be published: "
                        + kafka.getMessage();
                // Too large for Kafka it would be on every attempt: invoking the function again would not help.
                return ObjectHelper.getException(OversizedRecordException.class, kafka) != null
                        ? new Outcome.Permanent("result_too_large", said)
                        : new Outcome.Retry("result_not_published", said, null);
            }
        }
        return outcome;
    }

    /** {@code resp_data} is the function's return value as a string: JSON when the function returned an object. */
    private void publish(OutgoingEvent event, String appId, String env, String function, JsonNode respData) {
        ObjectNode data = mapper.createObjectNode().put("appId", appId).put("env", env).put("function", function)
                .put("eventType", event.type());
        data.set("result", result(respData));
        String causation = event.attribute("id").orElse("");
        results.publish(Results.id(PREFIX, causation), RETURNED, event.subject(), causation, data);
    }

    private JsonNode result(JsonNode respData) {
        if (!respData.isTextual()) {
            return respData.isMissingNode() ? mapper.nullNode() : respData;
        }
        try {
            JsonNode parsed = mapper.readTree(respData.asText());
            return parsed == null || parsed.isMissingNode() ? respData : parsed;
        } catch (IOException notJson) {
            return respData;
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
