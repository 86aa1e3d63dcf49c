package io.mphub.sign;

import java.util.Locale;

/**
 * Kuaidi100's subscription pushes: the sign Kuaidi100 puts on a push to the hub's callback, made with the
 * {@code parameters.salt} the hub sent when subscribing. (The hub makes no real-time queries, so it has no query
 * signer.)
 */
public final class Kuaidi100Signer {

    private final String salt;

    /** @param salt the {@code parameters.salt} of the subscription the push belongs to */
    public Kuaidi100Signer(String salt) {
        this.salt = Crypto.requireText(salt, "salt");
    }

    /** The {@code sign} Kuaidi100 puts on a push of {@code param}; for sandboxes that play Kuaidi100. */
    public String pushSign(String param) {
        // Kuaidi100: push sign = MD5(param + salt)
        return Crypto.md5Hex(param + salt).toUpperCase(Locale.ROOT);
    }

    /**
     * Checks a push to our callback.
     *
     * @param param the {@code param} form field, exactly as received
     * @param sign  the {@code sign} form field
     */
    public Verdict verifyPush(String param, String sign) {
        if (Crypto.isBlank(sign)) {
            return Verdict.MISSING_SIGNATURE;
        }
        if (param == null) {
            return Verdict.MALFORMED;
        }
        // Kuaidi100: compare the push sign case-insensitively
        return Crypto.sameHexIgnoringCase(pushSign(param), sign) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
    }
}
