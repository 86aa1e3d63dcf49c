package io.mphub.provider.wechat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.http.PooledHttpClient;
import io.mphub.provider.Endpoints;

/**
 * One day of one datacube API for one app: {@code POST <api-url>/datacube/<api>?access_token=…} with
 * {@code {"begin_date": d, "end_date": d}} ({@code yyyymmdd}), with the app's shared access token. A token WeChat
 * refuses (40001, 40014, 42001) is renewed as for subscribe messages ({@link AccessTokens#renew}: normal mode first,
 * a forced refresh only when WeChat still hands out the refused one) and the day asked once more.
 */
final class DatacubeClient {

    private final HttpClient http;
    private final URI apiUrl;
    private final AccessTokens tokens;
    private final ObjectMapper mapper;
    private final Duration timeout;

    DatacubeClient(HttpClient http, URI apiUrl, AccessTokens tokens, ObjectMapper mapper, Duration timeout) {
        this.http = http;
        this.apiUrl = apiUrl;
        this.tokens = tokens;
        this.mapper = mapper;
        this.timeout = timeout;
    }

    /** @throws TokenException when the app has no usable token: nothing was asked */
    AnalysisAnswers.Answer pull(String appId, AnalysisApi api, LocalDate day)
            throws TokenException, InterruptedException {
        AccessToken token = tokens.current(appId);
        AnalysisAnswers.Answer answer = post(token, api, day);
        if (answer.meaning() == AnalysisAnswers.Meaning.TOKEN_INVALID) {
            answer = post(tokens.renew(appId, token), api, day);
        }
        return answer;
    }

    private AnalysisAnswers.Answer post(AccessToken token, AnalysisApi api, LocalDate day) throws InterruptedException {
        String date = AnalysisApi.YYYYMMDD.format(day);
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(mapper.createObjectNode().put("begin_date", date).put("end_date", date));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // The token is in the query, as WeChat requires: this URI is never logged.
        URI uri = Endpoints.under(apiUrl, api.path() + "?access_token="
                + URLEncoder.encode(token.value(), StandardCharsets.UTF_8));
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("content-type", "application/json")
                    .POST(PooledHttpClient.ofBytes(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return AnalysisAnswers.classify(response.statusCode(), response.body(), mapper);
        } catch (IOException e) {
            return AnalysisAnswers.unreachable(e);
        }
    }
}
