package io.mphub.sign;

/**
 * The {@code parameters.salt} the hub gives Kuaidi100 with each subscription, derived from one master salt and the
 * subscription's context (app, user, order, waybill): lower-hex HMAC-SHA256(master salt, the context joined by
 * line feeds), its first 32 characters (128 bits).
 *
 * <p>Kuaidi100 signs every push of a subscription as MD5(param + salt). The context travels back in the query of
 * the callback URL; since the salt is derived from it, a push verifies only with the context it was subscribed
 * with, so a forged or edited query fails like a forged body. The master salt never leaves the hub.
 */
public final class Kuaidi100SubscriptionSalt {

    private static final int HEX_CHARS = 32;

    private final String masterSalt;

    public Kuaidi100SubscriptionSalt(String masterSalt) {
        this.masterSalt = Crypto.requireText(masterSalt, "masterSalt");
    }

    /**
     * @param context the subscription's context, in a fixed order; no part may contain a line feed (the separator),
     *                so that two different contexts never join to the same text
     */
    public String derive(String... context) {
        for (String part : context) {
            if (part == null || part.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a context part is missing or contains a line feed");
            }
        }
        return Crypto.hmacHex("HmacSHA256", masterSalt, String.join("\n", context)).substring(0, HEX_CHARS);
    }
}
