package io.mphub.provider.wechatpay;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import io.mphub.provider.Endpoints;
import io.mphub.sign.Verdict;
import io.mphub.sign.WeChatPayV3Signer;
import io.mphub.sign.WeChatPayV3Verifier;

/**
 * One WeChat Pay API v3 call: the request signed with the merchant key ({@code Authorization}), the answer read
 * whole and, when it is a 2xx, verified against the platform key named by {@code Wechatpay-Serial}. Error answers
 * are not verified (neither does WeChat Pay's own SDK): they only ever lead to a retry or a dead letter, never to a
 * result the hub publishes.
 */
final class WeChatPayV3Client {

    /**
     * WeChat Pay's answer.
     *
     * @param verdict the signature check of a 2xx answer; null for other statuses
     */
    record Reply(int status, HttpHeaders headers, String body, Verdict verdict) {
        Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    static final String USER_AGENT = "mphub/" + Optional.ofNullable(WeChatPayV3Client.class.getPackage()
            .getImplementationVersion()).orElse("dev") + " (" + System.getProperty("os.name") + "/"
            + System.getProperty("os.version") + ") Java/" + System.getProperty("java.version");

    private final URI base;
    private final Duration timeout;
    private final WeChatPayV3Signer signer;
    private final WeChatPayV3Verifier verifier;

    /** @param base scheme, host and port of the API (https://api.mch.weixin.qq.com, or a sandbox) */
    WeChatPayV3Client(URI base, Duration timeout, WeChatPayV3Signer signer, WeChatPayV3Verifier verifier) {
        this.base = base;
        this.timeout = timeout;
        this.signer = signer;
        this.verifier = verifier;
    }

    /** POSTs {@code body} (JSON) to {@code path}, e.g. {@code /v3/pay/transactions/jsapi}. */
    Reply post(HttpClient http, String path, String body) throws IOException, InterruptedException {
        URI uri = Endpoints.under(base, path);
        // WeChat Pay v3 signs the URL as sent: path plus ?query if any
        String signedUrl = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", signer.authorization("POST", signedUrl, body))
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        String text = new String(response.body(), UTF_8);
        Verdict verdict = response.statusCode() / 100 == 2
                ? verifier.verify(name -> response.headers().firstValue(name).orElse(null), text)
                : null;
        return new Reply(response.statusCode(), response.headers(), text, verdict);
    }
}
