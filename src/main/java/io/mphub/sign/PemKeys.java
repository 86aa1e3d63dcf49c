package io.mphub.sign;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the RSA keys WeChat Pay hands out as PEM: the merchant key {@code apiclient_key.pem} (PKCS#8),
 * the WeChat Pay public key ({@code PUBLIC KEY}) and platform certificates ({@code CERTIFICATE}).
 */
public final class PemKeys {

    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private PemKeys() {
    }

    public static PrivateKey privateKey(Path pemFile) throws IOException {
        return privateKey(Files.readString(pemFile, US_ASCII));
    }

    /** A {@code -----BEGIN PRIVATE KEY-----} block, as in WeChat Pay's {@code apiclient_key.pem}. */
    public static PrivateKey privateKey(String pem) {
        Block block = block(pem);
        if (!block.type().equals("PRIVATE KEY")) {
            throw new IllegalArgumentException("expected a PKCS#8 'PRIVATE KEY' PEM block, found '" + block.type()
                    + "'; convert with: openssl pkcs8 -topk8 -nocrypt");
        }
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(block.der()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA private key", e);
        }
    }

    public static PublicKey publicKey(Path pemFile) throws IOException {
        return publicKey(Files.readString(pemFile, US_ASCII));
    }

    /** A {@code PUBLIC KEY} block (WeChat Pay public key) or a {@code CERTIFICATE} block (platform certificate). */
    public static PublicKey publicKey(String pem) {
        Block block = block(pem);
        try {
            return switch (block.type()) {
                case "PUBLIC KEY" -> KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(block.der()));
                case "CERTIFICATE" -> CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(block.der())).getPublicKey();
                default -> throw new IllegalArgumentException(
                        "expected a 'PUBLIC KEY' or 'CERTIFICATE' PEM block, found '" + block.type() + "'");
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA public key or X.509 certificate", e);
        }
    }

    private static Block block(String pem) {
        Matcher matcher = PEM.matcher(pem);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no PEM block found");
        }
        return new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2)));
    }

    private record Block(String type, byte[] der) {
    }
}
