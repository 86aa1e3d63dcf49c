package io.mphub.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of a Standard Webhooks signature, written from the specification for the tests and
 * sharing no code with mphub's signer: HMAC-SHA256 over "{id}.{timestamp}.{body}" keyed with the Base64-decoded
 * part of the whsec_ secret; any of the space-separated "v1,..." signatures may match; the timestamp must be
 * within 5 minutes.
 */
public final class WebhookVerifier {

    private final byte[] key;

    public WebhookVerifier(String secret) {
        this.key = Base64.getDecoder().decode(secret.replaceFirst("^whsec_", ""));
    }

    public boolean verify(String id, String timestamp, String signatures, byte[] body, long nowSeconds) {
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(nowSeconds - ts) > 300) {
            return false;
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signed = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
            byte[] content = new byte[signed.length + body.length];
            System.arraycopy(signed, 0, content, 0, signed.length);
            System.arraycopy(body, 0, content, signed.length, body.length);
            expected = Base64.getEncoder().encode(mac.doFinal(content));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        for (String candidate : signatures.split(" ")) {
            if (candidate.startsWith("v1,") && MessageDigest.isEqual(expected,
                    candidate.substring(3).getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    /** A fresh whsec_ secret of 32 random bytes. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return "whsec_" + Base64.getEncoder().encodeToString(bytes);
    }
}
