package io.mphub.sign;

import java.security.PrivateKey;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Signs WeChat Pay API v3 requests with the merchant's private key.
 *
 * <p>{@link #authorization} returns the value of the {@code Authorization} header:
 * {@code WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",timestamp="…",serial_no="…",signature="…"}.
 */
public final class WeChatPayV3Signer {

    /** The authorization scheme WeChat Pay v3 expects. */
    public static final String SCHEME = "WECHATPAY2-SHA256-RSA2048";

    private final String merchantId;
    private final String serialNo;
    private final PrivateKey merchantKey;
    private final Clock clock;
    private final Supplier<String> nonces;

    /**
     * @param merchantId  the {@code mchid}
     * @param serialNo    serial number of the merchant API certificate that holds {@code merchantKey}
     * @param merchantKey the merchant API private key ({@code apiclient_key.pem}), see {@link PemKeys}
     * @param clock       source of the request timestamp
     * @param nonces      source of {@code nonce_str}, for example {@link Nonces#alphanumeric(int) Nonces.alphanumeric(32)}
     */
    public WeChatPayV3Signer(String merchantId, String serialNo, PrivateKey merchantKey, Clock clock,
            Supplier<String> nonces) {
        this.merchantId = Crypto.requireText(merchantId, "merchantId");
        this.serialNo = Crypto.requireText(serialNo, "serialNo");
        this.merchantKey = Objects.requireNonNull(merchantKey, "merchantKey");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nonces = Objects.requireNonNull(nonces, "nonces");
    }

    /**
     * The {@code Authorization} header value for one request.
     *
     * @param method       HTTP method, such as {@code POST}
     * @param pathAndQuery the URL path plus {@code ?query} if any, exactly as sent, e.g. {@code /v3/pay/transactions/jsapi}
     * @param body         the request body exactly as sent; {@code null} or empty for GET
     */
    public String authorization(String method, String pathAndQuery, String body) {
        String nonce = nonces.get();
        long timestamp = clock.instant().getEpochSecond();
        String signature = sign(requestMessage(method, pathAndQuery, timestamp, nonce, body));
        return SCHEME + " mchid=\"" + merchantId + "\",nonce_str=\"" + nonce + "\",timestamp=\"" + timestamp
                + "\",serial_no=\"" + serialNo + "\",signature=\"" + signature + "\"";
    }

    /**
     * Base64 SHA256withRSA of {@code message} over UTF-8 with this signer's key. Sandboxes that play the
     * WeChat Pay platform sign responses and callbacks with it, over {@link WeChatPayV3Verifier#message}.
     */
    public String sign(String message) {
        return Rsa.sign(merchantKey, message);
    }

    // WeChat Pay v3: METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n, URL = path plus ?query, BODY empty for GET
    static String requestMessage(String method, String pathAndQuery, long timestamp, String nonce, String body) {
        Crypto.requireText(method, "method");
        if (pathAndQuery == null || !pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException("WeChat Pay v3 signs the path and query only, got: " + pathAndQuery);
        }
        return method.toUpperCase(Locale.ROOT) + "\n" + pathAndQuery + "\n" + timestamp + "\n" + nonce + "\n"
                + (body == null ? "" : body) + "\n";
    }
}
