package io.mphub.provider.wechat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.deliver.Outcome;
import io.mphub.http.PooledHttpClient;
import io.mphub.provider.ProviderCall;

/**
 * A delivery's call to a WeChat server API with the app's shared access token: a JSON POST, the token in the query as
 * WeChat requires (so the URL is never logged or put in an outcome); an invalid token (40001/40014/42001) is renewed
 * and the call made once more within the same attempt.
 */
final class WeChatApi {

    /**
     * WeChat's errcode and errmsg and its whole answer, or the outcome when the answer was not one (network, HTTP
     * status, not JSON).
     */
    record Answer(int errcode, String errmsg, JsonNode body, Outcome outcome) {
    }

    private final AccessTokens tokens;
    private final ProviderCall call;
    private final ObjectMapper mapper;

    WeChatApi(AccessTokens tokens, ProviderCall call, ObjectMapper mapper) {
        this.tokens = tokens;
        this.call = call;
        this.mapper = mapper;
    }

    boolean knows(String appId) {
        return tokens.knows(appId);
    }

    /**
     * @param url the API's URL, with its own query if it has one ({@code ?env=…&name=…})
     * @throws TokenException when the app has no token to call with
     */
    Answer post(HttpClient http, String appId, URI url, byte[] body, Duration timeout)
            throws InterruptedException, TokenException {
        AccessToken token = tokens.current(appId);
        Answer answer = send(http, url, token, body, timeout);
        if (answer.outcome() == null && WeChatAnswers.invalidToken(answer.errcode())) {
            answer = send(http, url, tokens.renew(appId, token), body, timeout);
        }
        return answer;
    }

    private Answer send(HttpClient http, URI url, AccessToken token, byte[] body, Duration timeout)
            throws InterruptedException {
        URI uri = URI.create(url + (url.getRawQuery() == null ? "?" : "&") + "access_token="
                + URLEncoder.encode(token.value(), StandardCharsets.UTF_8));
        ProviderCall.Answer sent = call.send(http, HttpRequest.newBuilder(uri).timeout(timeout)
                .header("content-type", "application/json")
                .POST(PooledHttpClient.ofBytes(body)).build());
        if (sent.failure() != null) {
            return failed(sent.failure());
        }
        HttpResponse<byte[]> response = sent.response();
        if (response.statusCode() != 200) {
            return failed(call.http().classify(response.statusCode(), response.headers().firstValue("retry-after")));
        }
        try {
            JsonNode answer = mapper.readTree(response.body());
            if (answer == null || !answer.path("errcode").isInt()) {
                return failed(new Outcome.Retry("bad_answer", "WeChat answered without an errcode", null));
            }
            return new Answer(answer.get("errcode").asInt(), answer.path("errmsg").asText(""), answer, null);
        } catch (IOException e) {
            return failed(new Outcome.Retry("bad_answer", "WeChat answered something that is not JSON", null));
        }
    }

    private static Answer failed(Outcome outcome) {
        return new Answer(0, "", null, outcome);
    }
}
