package io.mphub.sign;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Digests that name content (an id derived from what caused an event, a fingerprint of a record), not signatures. */
public final class Digests {

    private Digests() {
    }

    /** SHA-256 of the bytes. */
    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Lower-case hex SHA-256 of the bytes. */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }

    /** Lower-case hex SHA-256 of the text as UTF-8. */
    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(UTF_8));
    }
}
