package io.mphub.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Settings;
import io.mphub.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExtraTrustTest {

    @TempDir
    static Path temp;

    private static TestCertificates ca;
    private static TestCertificates other;

    @BeforeAll
    static void makeCertificates() throws Exception {
        ca = TestCertificates.localhost(temp.resolve("ca"));
        other = TestCertificates.localhost(temp.resolve("other"));
    }

    @Test
    void aPemFileGivesItsCertificatesAndTheSameCaInPkcs12GivesTheSame() throws Exception {
        KeyStore pem = ExtraTrust.load(ca.caPem(), "PEM", null);
        KeyStore p12 = ExtraTrust.load(ca.truststore(), "PKCS12", ca.password().toCharArray());
        assertThat(pem.size()).isEqualTo(1);
        X509Certificate fromPem = (X509Certificate) pem.getCertificate(pem.aliases().nextElement());
        X509Certificate fromP12 = (X509Certificate) p12.getCertificate(p12.aliases().nextElement());
        assertThat(fromPem).isEqualTo(fromP12);
        assertThat(fromPem.getSubjectX500Principal().getName()).isEqualTo("CN=mphub test CA");
    }

    @Test
    void aFileWithoutACertificateIsAProblemNamingTheSetting() throws Exception {
        Path empty = Files.writeString(temp.resolve("empty.pem"), "not a certificate");
        List<Problem> problems = new ArrayList<>();
        Settings settings = new Settings(key -> Optional.ofNullable(
                Map.of("mphub.https.truststore-location", empty.toString()).get(key)));
        assertThat(ExtraTrust.read(settings.reader(problems))).isEmpty();
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo("mphub.https.truststore-location (MPHUB_HTTPS_TRUSTSTORE_LOCATION)");
            assertThat(p.what()).startsWith("cannot be read as PEM");
        });
    }

    @Test
    void noStoreSetTrustsNothingMore() {
        List<Problem> problems = new ArrayList<>();
        assertThat(ExtraTrust.read(new Settings(key -> Optional.empty()).reader(problems))).isEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void aServerTheExtraCaIssuedIsTrustedAnotherCasIsNotAndTheJdksCasStillAre() throws Exception {
        X509TrustManager both = ExtraTrust.trustManager(ExtraTrust.load(ca.caPem(), "PEM", null));

        both.checkServerTrusted(chain(ca), "RSA");
        assertThatThrownBy(() -> both.checkServerTrusted(chain(other), "RSA")).isInstanceOf(CertificateException.class);
        TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jdk.init((KeyStore) null);
        X509Certificate[] publicCas = ((X509TrustManager) jdk.getTrustManagers()[0]).getAcceptedIssuers();
        assertThat(publicCas).isNotEmpty();
        assertThat(both.getAcceptedIssuers()).hasSize(publicCas.length + 1).contains(publicCas);
    }

    /** The server's chain as it presents it: its certificate, then the CA's. */
    private static X509Certificate[] chain(TestCertificates certificates) throws Exception {
        KeyStore server = ExtraTrust.load(certificates.keystore(), "PKCS12", certificates.password().toCharArray());
        return java.util.Arrays.stream(server.getCertificateChain("server")).map(X509Certificate.class::cast)
                .toArray(X509Certificate[]::new);
    }
}
