package io.mphub.sign;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Date;

import com.wechat.pay.java.core.util.PemUtil;
import io.mphub.testing.TestSecrets;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PemKeysTest {

    private static final KeyPair PAIR = TestSecrets.rsa2048();

    @TempDir
    Path dir;

    @Test
    void loadsPkcs8PrivateKeyFromFileAsSdkPemUtilDoes() throws IOException {
        Path file = dir.resolve("apiclient_key.pem");
        Files.writeString(file, pem("PRIVATE KEY", PAIR.getPrivate().getEncoded()));

        PrivateKey key = PemKeys.privateKey(file);

        assertThat(key.getEncoded()).isEqualTo(PAIR.getPrivate().getEncoded());
        assertThat(key).isEqualTo(PemUtil.loadPrivateKeyFromPath(file.toString()));
    }

    @Test
    void loadsPublicKeyAsSdkPemUtilDoes() throws IOException {
        Path file = dir.resolve("pub_key.pem");
        Files.writeString(file, pem("PUBLIC KEY", PAIR.getPublic().getEncoded()));

        PublicKey key = PemKeys.publicKey(file);

        assertThat(key).isEqualTo(PAIR.getPublic());
        assertThat(key).isEqualTo(PemUtil.loadPublicKeyFromPath(file.toString()));
    }

    @Test
    void loadsPublicKeyOfPlatformCertificate() throws Exception {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                new X500Name("CN=Tenpay.com Root CA"), new BigInteger("5157F09EFDC096DE15EBE81A47057A7232F1B8E1", 16),
                new Date(0), new Date(4_102_444_800_000L), new X500Name("CN=Tenpay.com"), PAIR.getPublic());
        byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(PAIR.getPrivate())).getEncoded();
        String pem = pem("CERTIFICATE", der);

        assertThat(PemKeys.publicKey(pem)).isEqualTo(PAIR.getPublic());
        assertThat(PemKeys.publicKey(pem)).isEqualTo(PemUtil.loadX509FromString(pem).getPublicKey());
    }

    @Test
    void loadedKeysSignAndVerify() {
        PrivateKey privateKey = PemKeys.privateKey(pem("PRIVATE KEY", PAIR.getPrivate().getEncoded()));
        PublicKey publicKey = PemKeys.publicKey(pem("PUBLIC KEY", PAIR.getPublic().getEncoded()));

        assertThat(Rsa.verify(publicKey, "message", Rsa.sign(privateKey, "message"))).isTrue();
    }

    @Test
    void refusesPkcs1PrivateKeyWithConversionHint() {
        assertThatThrownBy(() -> PemKeys.privateKey(pem("RSA PRIVATE KEY", new byte[] {1, 2, 3})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openssl pkcs8 -topk8");
    }

    @Test
    void refusesTextWithoutPemBlock() {
        assertThatThrownBy(() -> PemKeys.publicKey("not a key"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no PEM block");
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
