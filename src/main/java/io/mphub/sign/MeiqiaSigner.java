package io.mphub.sign;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Base64;

/**
 * Meiqia (customer service) push signature, carried in the {@code Authorization} header.
 *
 * <p>Meiqia: {@code Authorization: meiqia_sign:} + Base64(lower-hex(HMAC-SHA1(secret, raw body))).
 */
public final class MeiqiaSigner {

    public static final String PREFIX = "meiqia_sign:";

    private final String secret;

    /** @param secret the push key from the Meiqia console */
    public MeiqiaSigner(String secret) {
        this.secret = Crypto.requireText(secret, "secret");
    }

    /** The {@code Authorization} header value for {@code body}, the body exactly as sent. */
    public String authorization(String body) {
        String hex = Crypto.hmacHex("HmacSHA1", secret, body);
        return PREFIX + Base64.getEncoder().encodeToString(hex.getBytes(UTF_8));
    }

    /** Checks the {@code Authorization} header of a push against its raw body. */
    public Verdict verify(String authorization, String body) {
        if (Crypto.isBlank(authorization)) {
            return Verdict.MISSING_SIGNATURE;
        }
        if (!authorization.startsWith(PREFIX) || body == null) {
            return Verdict.MALFORMED;
        }
        return Crypto.sameText(authorization(body), authorization) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
    }
}
