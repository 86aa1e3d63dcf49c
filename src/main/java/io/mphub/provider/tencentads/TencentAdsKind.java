package io.mphub.provider.tencentads;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;

import io.mphub.deliver.BatchEvent;
import io.mphub.deliver.BatchKind;
import io.mphub.deliver.BatchLimits;
import io.mphub.deliver.BatchOutcome;
import io.mphub.deliver.Destination;
import io.mphub.http.PooledHttpClient;
import io.mphub.provider.Endpoints;
import io.mphub.provider.ProviderCall;

/**
 * Kind {@code tencent-ads}: a batch of events as one {@code POST <url>/user_actions/add?access_token=…&timestamp=…
 * &nonce=…} of {@code {account_id, user_action_set_id, actions: […]}} ({@link TencentAdsActions}). Each attempt has
 * its own timestamp (Tencent takes 300 s of skew) and nonce (32 random hex characters, never reused); the access token
 * travels in the query, so the URL is never logged.
 */
final class TencentAdsKind implements BatchKind {

    static final String PATH = "/user_actions/add";
    /**
     * Tencent Ads: at most 50 actions and 50 KB per request. The envelope (account and set ids, ~70 bytes) and the
     * commas between actions take from the 50 KB: 512 bytes are left for them.
     */
    static final BatchLimits LIMITS = new BatchLimits(50, 50 * 1024 - 512, 50 * 1024 - 512);

    private final Destination destination;
    private final URI endpoint;
    private final TencentAdsSettings account;
    private final TencentAdsActions actions;
    private final TencentAdsAnswers answers;
    private final ProviderCall call;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    TencentAdsKind(Destination destination, TencentAdsSettings account, TencentAdsActions actions,
            TencentAdsAnswers answers, ProviderCall call, Clock clock) {
        this.destination = destination;
        this.endpoint = Endpoints.under(destination.url(), PATH);
        this.account = account;
        this.actions = actions;
        this.answers = answers;
        this.call = call;
        this.clock = clock;
    }

    @Override
    public Encoded encode(BatchEvent event) {
        return actions.encode(event);
    }

    @Override
    public BatchOutcome attempt(HttpClient http, List<BatchEvent> batch) throws InterruptedException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("{\"account_id\":" + account.accountId() + ",\"user_action_set_id\":"
                + account.userActionSetId() + ",\"actions\":").getBytes(UTF_8));
        body.writeBytes(BatchEvent.jsonArray(batch));
        body.write('}');
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        URI uri = URI.create(endpoint + "?access_token=" + URLEncoder.encode(account.accessToken().value(), UTF_8)
                + "&timestamp=" + clock.instant().getEpochSecond() + "&nonce=" + HexFormat.of().formatHex(nonce));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(destination.timeout())
                .header("content-type", "application/json")
                .POST(PooledHttpClient.ofBytes(body.toByteArray()))
                .build();
        ProviderCall.Answer answer = call.send(http, request);
        if (answer.failure() != null) {
            return new BatchOutcome.All(answer.failure());
        }
        HttpResponse<byte[]> response = answer.response();
        return answers.classify(response.statusCode(), response.headers().firstValue("retry-after"), response.body());
    }
}
