package io.mphub.sign;

import java.util.Locale;

/**
 * Kuaidi100: signs real-time queries ({@code POST /poll/query.do}) and verifies subscription pushes.
 */
public final class Kuaidi100Signer {

    private final String key;
    private final String customer;
    private final String salt;

    /**
     * @param key      the authorisation key from the Kuaidi100 console
     * @param customer the customer id from the Kuaidi100 console
     * @param salt     the {@code parameters.salt} we send when subscribing; Kuaidi100 signs pushes with it
     */
    public Kuaidi100Signer(String key, String customer, String salt) {
        this.key = Crypto.requireText(key, "key");
        this.customer = Crypto.requireText(customer, "customer");
        this.salt = Crypto.requireText(salt, "salt");
    }

    private Kuaidi100Signer(String salt) {
        this.key = null;
        this.customer = null;
        this.salt = Crypto.requireText(salt, "salt");
    }

    /**
     * A signer for pushes only, for a hub that subscribes but never queries (no customer id): it verifies and
     * produces push signs; {@link #querySign} refuses.
     *
     * @param salt the {@code parameters.salt} of the subscription the push belongs to
     */
    public static Kuaidi100Signer forPushes(String salt) {
        return new Kuaidi100Signer(salt);
    }

    /**
     * The {@code sign} form field of a query.
     *
     * @param param the {@code param} form field, exactly as sent
     */
    public String querySign(String param) {
        if (key == null) {
            throw new IllegalStateException("this signer is for pushes only: no key and customer");
        }
        // Kuaidi100: sign = UPPER(MD5(param + key + customer))
        return Crypto.md5Hex(param + key + customer).toUpperCase(Locale.ROOT);
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
