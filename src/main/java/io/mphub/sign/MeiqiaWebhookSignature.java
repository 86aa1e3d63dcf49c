package io.mphub.sign;

/**
 * The signature of Meiqia's webhooks (美洽 Webhooks, enterprise and flagship editions), in the {@code Meiqia-Signature}
 * header.
 *
 * <p>Meiqia: the request body as a string, the secret appended after it, SHA1 of the two: {@code lower-hex SHA1(body +
 * secret)}. No timestamp is signed: repeats are recognised by the request's own {@code id}.
 */
public final class MeiqiaWebhookSignature {

    /** The header Meiqia's page names; its own example request shows {@link #EXAMPLE_HEADER} instead. */
    public static final String HEADER = "Meiqia-Signature";
    public static final String EXAMPLE_HEADER = "Meiqia-Sign";

    private final String secret;

    /** @param secret the webhook's secret from the Meiqia workbench's Webhooks settings */
    public MeiqiaWebhookSignature(String secret) {
        this.secret = Crypto.requireText(secret, "secret");
    }

    /** The header value for {@code body}, the body exactly as sent. */
    public String sign(String body) {
        return Crypto.sha1Hex(body + secret);
    }

    /** Checks a webhook's signature against its raw body (hex compared without regard to case). */
    public Verdict verify(String signature, String body) {
        if (Crypto.isBlank(signature)) {
            return Verdict.MISSING_SIGNATURE;
        }
        if (body == null) {
            return Verdict.MALFORMED;
        }
        return Crypto.sameHexIgnoringCase(sign(body), signature.trim()) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
    }
}
