package io.mphub.sign;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Digests, MACs and comparisons shared by the signers. Every text is hashed as UTF-8. */
final class Crypto {

    private static final HexFormat HEX = HexFormat.of();

    private Crypto() {
    }

    static String md5Hex(String text) {
        return HEX.formatHex(digest("MD5", text));
    }

    static String sha1Hex(String text) {
        return HEX.formatHex(digest("SHA-1", text));
    }

    /** Lower-case hex of an HMAC; {@code algorithm} is a JCA name such as {@code HmacSHA256}. */
    static String hmacHex(String algorithm, String key, String text) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(UTF_8), algorithm));
            return HEX.formatHex(mac.doFinal(text.getBytes(UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }

    /** Compares in time independent of where the texts differ, so a caller cannot guess a signature byte by byte. */
    static boolean sameText(String expected, String actual) {
        return actual != null && MessageDigest.isEqual(expected.getBytes(UTF_8), actual.getBytes(UTF_8));
    }

    /** {@link #sameText} for hex signatures whose sender may use either case. */
    static boolean sameHexIgnoringCase(String expected, String actual) {
        return actual != null && sameText(expected.toLowerCase(Locale.ROOT), actual.toLowerCase(Locale.ROOT));
    }

    static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static byte[] digest(String algorithm, String text) {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }
}
