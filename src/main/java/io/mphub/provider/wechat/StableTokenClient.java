package io.mphub.provider.wechat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.config.Secret;
import io.mphub.config.Settings;
import io.mphub.http.PooledHttpClient;
import io.mphub.provider.Endpoints;

/**
 * WeChat's {@code POST /cgi-bin/stable_token} ({@code getStableAccessToken}). Unlike the older {@code /cgi-bin/token},
 * normal mode hands every caller the same current token, so replicas sharing an app do not invalidate each other;
 * in the last 5 minutes of a token it hands out the next one, and both work until the old one expires.
 */
public final class StableTokenClient implements TokenSource {

    static final String PATH = "/cgi-bin/stable_token";
    /**
     * Answers that no retry will change: a wrong AppID (40013, 41002) or AppSecret (40125, 41004), a server IP the
     * mini program does not allow (40164), or one its administrator must confirm first (89501, 89503, 89506, 89507).
     */
    static final Set<Integer> REJECTED = Set.of(40013, 40125, 40164, 41002, 41004, 89501, 89503, 89506, 89507);

    private final HttpClient http;
    private final URI url;
    private final Map<String, Secret> secrets;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Duration timeout;

    public StableTokenClient(HttpClient http, URI apiUrl, Map<String, Secret> secrets, ObjectMapper mapper, Clock clock,
            Duration timeout) {
        this.http = http;
        this.url = Endpoints.under(apiUrl, PATH);
        this.secrets = Map.copyOf(secrets);
        this.mapper = mapper;
        this.clock = clock;
        this.timeout = timeout;
    }

    @Override
    public AccessToken fetch(String appId, boolean force) throws TokenException, InterruptedException {
        Secret secret = secrets.get(appId);
        if (secret == null) {
            throw new TokenException(TokenException.Failure.REJECTED, "token_no_secret", "app " + appId
                    + " has no AppSecret; set " + WeChatSettings.APP_SECRET_OF.forName(appId).envName(), null);
        }
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(mapper.createObjectNode()
                    .put("grant_type", "client_credential")
                    .put("appid", appId)
                    .put("secret", secret.value())
                    .put("force_refresh", force));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // Counted from before the request: WeChat's expires_in runs from when it answered, a little later.
        Instant sent = clock.instant();
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(url).timeout(timeout)
                    .header("content-type", "application/json")
                    .POST(PooledHttpClient.ofBytes(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unavailable(appId, "token_unreachable", e.getClass().getSimpleName());
        }
        if (response.statusCode() != 200) {
            throw unavailable(appId, "token_http_" + response.statusCode(), "HTTP " + response.statusCode());
        }
        JsonNode answer;
        try {
            answer = mapper.readTree(response.body());
        } catch (IOException e) {
            throw unavailable(appId, "token_bad_answer", "an answer that is not JSON");
        }
        int errcode = answer.path("errcode").asInt(0);
        if (errcode != 0) {
            throw refused(appId, errcode, answer.path("errmsg").asText(""));
        }
        String token = answer.path("access_token").asText("");
        long expiresIn = answer.path("expires_in").asLong(0);
        if (token.isEmpty() || expiresIn <= 0) {
            throw unavailable(appId, "token_bad_answer", "an answer without access_token and expires_in");
        }
        return new AccessToken(token, sent.plusSeconds(expiresIn));
    }

    /** What an errcode in the token answer means, with the fix when an operator must act. */
    static TokenException refused(String appId, int errcode, String errmsg) {
        String what = "WeChat refused an access token for app " + appId + ": errcode " + errcode
                + (errmsg.isEmpty() ? "" : " (" + errmsg + ")");
        String reason = "token_errcode_" + errcode;
        if (REJECTED.contains(errcode)) {
            return new TokenException(TokenException.Failure.REJECTED, reason, what + "; " + fix(appId, errcode), null);
        }
        return switch (errcode) {
            case 45009 -> new TokenException(TokenException.Failure.DAILY_QUOTA, reason, what, null);
            case 45011 -> new TokenException(TokenException.Failure.MINUTE_QUOTA, reason, what, null);
            default -> new TokenException(TokenException.Failure.UNAVAILABLE, reason, what, null);
        };
    }

    private static String fix(String appId, int errcode) {
        String secret = WeChatSettings.APP_SECRET_OF.forName(appId).key();
        return switch (errcode) {
            case 40013, 41002 -> "check " + WeChatSettings.APP_IDS.key() + " (" + WeChatSettings.APP_IDS.envName() + ")";
            case 40125, 41004 -> "check " + secret + " (" + Settings.envName(secret)
                    + ") against the AppSecret in the mini program's admin console";
            case 40164 -> "add this server's outbound IP to the mini program's IP whitelist";
            default -> "the mini program's administrator must confirm this server's IP in WeChat";
        };
    }

    private static TokenException unavailable(String appId, String reason, String what) {
        return new TokenException(TokenException.Failure.UNAVAILABLE, reason,
                "no access token for app " + appId + ": WeChat's token API gave " + what, null);
    }
}
