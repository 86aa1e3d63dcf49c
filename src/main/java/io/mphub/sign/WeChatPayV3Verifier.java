package io.mphub.sign;

import java.security.PublicKey;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Verifies the signature WeChat Pay v3 puts on its responses and callbacks, with the platform certificate
 * or WeChat Pay public key named by {@code Wechatpay-Serial}.
 */
public final class WeChatPayV3Verifier {

    public static final String SERIAL_HEADER = "Wechatpay-Serial";
    public static final String TIMESTAMP_HEADER = "Wechatpay-Timestamp";
    public static final String NONCE_HEADER = "Wechatpay-Nonce";
    public static final String SIGNATURE_HEADER = "Wechatpay-Signature";

    // WeChat Pay v3: reject a timestamp 5 minutes or more off
    private static final Duration MAX_SKEW = Duration.ofMinutes(5);
    // WeChat Pay v3: probes carry this prefix to check that merchants really verify; they must fail
    private static final String PROBE_PREFIX = "WECHATPAY/SIGNTEST/";

    private final Map<String, PublicKey> platformKeys;
    private final Clock clock;

    /**
     * @param platformKeys platform certificate public keys by certificate serial number, and/or the WeChat Pay
     *                     public key by its id ({@code PUB_KEY_ID_…}); several while keys rotate
     * @param clock        our clock, against which {@code Wechatpay-Timestamp} is checked
     */
    public WeChatPayV3Verifier(Map<String, PublicKey> platformKeys, Clock clock) {
        this.platformKeys = Map.copyOf(platformKeys);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Verifies a response or callback whose headers are read by name through {@code header}. */
    public Verdict verify(Function<String, String> header, String body) {
        return verify(header.apply(SERIAL_HEADER), header.apply(TIMESTAMP_HEADER), header.apply(NONCE_HEADER),
                header.apply(SIGNATURE_HEADER), body);
    }

    /**
     * Verifies a response or callback from its {@code Wechatpay-*} header values and its body exactly as received.
     * Any verdict but {@link Verdict#VALID} means the message must not be trusted.
     */
    public Verdict verify(String serial, String timestamp, String nonce, String signature, String body) {
        if (Crypto.isBlank(signature)) {
            return Verdict.MISSING_SIGNATURE; // WeChat Pay v3: reject a 2xx response without a signature
        }
        if (signature.startsWith(PROBE_PREFIX)) {
            return Verdict.SIGNTEST_PROBE;
        }
        if (Crypto.isBlank(serial) || Crypto.isBlank(nonce) || Crypto.isBlank(timestamp)) {
            return Verdict.MALFORMED;
        }
        Instant sent;
        try {
            sent = Instant.ofEpochSecond(Long.parseLong(timestamp));
        } catch (NumberFormatException | DateTimeException e) {
            return Verdict.MALFORMED;
        }
        if (Duration.between(sent, clock.instant()).abs().compareTo(MAX_SKEW) >= 0) {
            return Verdict.STALE_TIMESTAMP;
        }
        PublicKey key = platformKeys.get(serial);
        if (key == null) {
            return Verdict.UNKNOWN_KEY;
        }
        return Rsa.verify(key, message(timestamp, nonce, body), signature) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
    }

    /** WeChat Pay v3: the signed message of a response or callback, {@code TIMESTAMP\nNONCE\nBODY\n}. */
    public static String message(String timestamp, String nonce, String body) {
        return timestamp + "\n" + nonce + "\n" + (body == null ? "" : body) + "\n";
    }
}
