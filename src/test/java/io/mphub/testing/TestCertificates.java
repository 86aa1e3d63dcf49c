package io.mphub.testing;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A private CA and a server certificate it issued for localhost (and 127.0.0.1), made per test with the JDK's own
 * keytool: what a company's internal CA hands out. Valid for two days.
 *
 * @param caPem     the CA's certificate, PEM: what a client is told to trust
 * @param truststore the same in a PKCS12 truststore, with {@code password}
 * @param keystore  the server's key and its chain (leaf, CA), PKCS12, with {@code password}
 */
public record TestCertificates(Path caPem, Path truststore, Path keystore, String password) {

    public static TestCertificates localhost(Path dir) throws Exception {
        Files.createDirectories(dir);
        String password = TestSecrets.alphanumeric(12);
        Path ca = dir.resolve("ca.p12");
        Path caPem = dir.resolve("ca.pem");
        Path truststore = dir.resolve("truststore.p12");
        Path keystore = dir.resolve("server.p12");
        Path request = dir.resolve("server.csr");
        Path issued = dir.resolve("server.pem");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=mphub test CA", "-ext", "bc:c", "-storetype", "PKCS12", "-keystore", ca.toString(),
                "-storepass", password);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", password, "-file",
                caPem.toString());
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", password);
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass",
                password);
        keytool("-certreq", "-alias", "server", "-keystore", keystore.toString(), "-storepass", password, "-file",
                request.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", password, "-infile",
                request.toString(), "-outfile", issued.toString(), "-validity", "2",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-ext", "KU=digitalSignature,keyEncipherment",
                "-ext", "EKU=serverAuth");
        // The chain: the CA first, so that the issued certificate can be put back under the server's key.
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore",
                keystore.toString(), "-storepass", password);
        keytool("-importcert", "-alias", "server", "-file", issued.toString(), "-keystore", keystore.toString(),
                "-storepass", password);
        return new TestCertificates(caPem, truststore, keystore, password);
    }

    /**
     * A client certificate this CA issues (for mutual TLS), with its key, in a PKCS12 store of its own: what WeChat Pay
     * gives a merchant as {@code apiclient_cert.p12}, whose password is the merchant ID.
     */
    public Path issueClient(String commonName, String storePassword) throws Exception {
        Path dir = keystore.getParent();
        Path ca = dir.resolve("ca.p12");
        Path client = dir.resolve("client-" + commonName + ".p12");
        Path request = dir.resolve("client-" + commonName + ".csr");
        Path issued = dir.resolve("client-" + commonName + ".pem");
        keytool("-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + commonName, "-storetype", "PKCS12", "-keystore", client.toString(), "-storepass",
                storePassword);
        keytool("-certreq", "-alias", "client", "-keystore", client.toString(), "-storepass", storePassword, "-file",
                request.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", password, "-infile",
                request.toString(), "-outfile", issued.toString(), "-validity", "2",
                "-ext", "KU=digitalSignature", "-ext", "EKU=clientAuth");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", client.toString(),
                "-storepass", storePassword);
        keytool("-importcert", "-alias", "client", "-file", issued.toString(), "-keystore", client.toString(),
                "-storepass", storePassword);
        return client;
    }

    /** A server's TLS context with the issued certificate, which trusts the client certificates this CA issues. */
    public SSLContext mutualServerContext() throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            trusted.load(in, password.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    /** A server's TLS context with the issued certificate. */
    public SSLContext serverContext() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(), null, null);
        return context;
    }

    private KeyManager[] keyManagers() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password.toCharArray());
        return keys.getKeyManagers();
    }

    private static void keytool(String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        line.addAll(List.of(args));
        Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
        }
    }
}
