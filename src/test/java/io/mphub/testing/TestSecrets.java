package io.mphub.testing;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Secrets a test makes for itself: never in the repository, new on every run. */
public final class TestSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestSecrets() {
    }

    /** {@code bytes} random bytes as lower-case hex (twice as many characters). */
    public static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
