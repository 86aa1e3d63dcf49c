package io.mphub.sign;

import java.util.Arrays;

/**
 * WeChat mini-program message push: the {@code signature} WeChat adds when it calls our push URL, and with which
 * it checks the URL when it is configured.
 *
 * <p>WeChat: {@code signature = sha1hex(concat(sort(token, timestamp, nonce)))}, sorted as strings.
 */
public final class WeChatPushSignature {

    private final String token;

    /** @param token the Token set for the push URL in the mini-program console */
    public WeChatPushSignature(String token) {
        this.token = Crypto.requireText(token, "token");
    }

    /** The signature for the {@code timestamp} and {@code nonce} query parameters. */
    public String signature(String timestamp, String nonce) {
        String[] parts = {token, timestamp, nonce};
        Arrays.sort(parts);
        return Crypto.sha1Hex(String.join("", parts));
    }

    /** Checks the {@code signature}, {@code timestamp} and {@code nonce} query parameters of a push. */
    public Verdict verify(String signature, String timestamp, String nonce) {
        if (Crypto.isBlank(signature)) {
            return Verdict.MISSING_SIGNATURE;
        }
        if (Crypto.isBlank(timestamp) || Crypto.isBlank(nonce)) {
            return Verdict.MALFORMED;
        }
        return Crypto.sameText(signature(timestamp, nonce), signature) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
    }
}
