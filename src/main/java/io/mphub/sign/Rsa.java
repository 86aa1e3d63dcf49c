package io.mphub.sign;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Base64;

/** SHA256withRSA over UTF-8 with Base64 signatures, the primitive of every WeChat Pay v3 signature. */
final class Rsa {

    private static final String ALGORITHM = "SHA256withRSA";

    private Rsa() {
    }

    static String sign(PrivateKey key, String message) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            signature.update(message.getBytes(UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not an RSA private key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " signing failed", e);
        }
    }

    static boolean verify(PublicKey key, String message, String base64Signature) {
        byte[] signatureBytes;
        try {
            signatureBytes = Base64.getDecoder().decode(base64Signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initVerify(key);
            signature.update(message.getBytes(UTF_8));
            return signature.verify(signatureBytes);
        } catch (SignatureException e) {
            return false; // a signature of the wrong length or encoding is simply not valid
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not an RSA public key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " verification failed", e);
        }
    }
}
