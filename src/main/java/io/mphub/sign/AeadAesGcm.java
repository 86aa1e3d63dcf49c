package io.mphub.sign;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeChat Pay v3 {@code AEAD_AES_256_GCM}: decrypts the {@code resource} of a callback; encrypts for tests and sandboxes.
 *
 * <p>AES/GCM/NoPadding, key = the APIv3 key (32 bytes UTF-8), IV = {@code nonce} (UTF-8),
 * AAD = {@code associated_data}, 128-bit tag appended to the ciphertext, ciphertext in Base64.
 */
public final class AeadAesGcm {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;

    /** @param apiV3Key the merchant's APIv3 key, 32 characters */
    public AeadAesGcm(String apiV3Key) {
        byte[] bytes = Crypto.requireText(apiV3Key, "apiV3Key").getBytes(UTF_8);
        if (bytes.length != 32) {
            throw new IllegalArgumentException("the WeChat Pay APIv3 key must be 32 bytes, was " + bytes.length);
        }
        this.key = new SecretKeySpec(bytes, "AES");
    }

    /**
     * The plaintext of {@code resource.ciphertext}.
     *
     * @param associatedData {@code resource.associated_data}; {@code null} or empty when absent
     * @throws IllegalArgumentException if the ciphertext does not authenticate (tampered, or another APIv3 key)
     */
    public String decrypt(String associatedData, String nonce, String ciphertext) {
        byte[] sealed = Base64.getDecoder().decode(ciphertext);
        try {
            return new String(cipher(Cipher.DECRYPT_MODE, associatedData, nonce).doFinal(sealed), UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("WeChat Pay resource does not authenticate: tampered or another APIv3 key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("WeChat Pay resource cannot be decrypted", e);
        }
    }

    /** Base64 ciphertext with the tag appended, as WeChat Pay puts in {@code resource.ciphertext}. */
    public String encrypt(String associatedData, String nonce, String plaintext) {
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, associatedData, nonce).doFinal(plaintext.getBytes(UTF_8));
            return Base64.getEncoder().encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    private Cipher cipher(int mode, String associatedData, String nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, Crypto.requireText(nonce, "nonce").getBytes(UTF_8)));
        if (associatedData != null && !associatedData.isEmpty()) {
            cipher.updateAAD(associatedData.getBytes(UTF_8));
        }
        return cipher;
    }
}
