package io.mphub.sign;

import java.security.SecureRandom;
import java.util.function.Supplier;

/** Random nonces for the signers, which take a {@code Supplier<String>} so tests can fix it. */
public final class Nonces {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Nonces() {
    }

    /**
     * A supplier of {@code length} random letters and digits, with its own {@link SecureRandom}.
     * WeChat Pay allows at most 32 characters; its SDK sends 32.
     */
    public static Supplier<String> alphanumeric(int length) {
        if (length < 1 || length > 32) {
            throw new IllegalArgumentException("nonce length must be 1 to 32, was " + length);
        }
        SecureRandom random = new SecureRandom();
        return () -> {
            char[] nonce = new char[length];
            for (int i = 0; i < length; i++) {
                nonce[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            }
            return new String(nonce);
        };
    }
}
