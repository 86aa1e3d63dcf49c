package io.mphub.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Third parties behind a private CA ({@code mphub.https.truststore-*}): the certificates of that store are trusted
 * for the hub's outbound HTTPS (destinations and providers) on top of the JDK's public CAs, never instead of them, so
 * WeChat, Kuaidi100 and the rest keep working. Installed once at start-up as the JVM's default {@link SSLContext},
 * which every HTTP client of the hub uses ({@link PooledHttpClient}, and the JDK's); Kafka's clients keep their own
 * ({@code mphub.kafka.ssl.*}).
 */
public final class ExtraTrust {

    public static final Setting<String> TRUSTSTORE = Setting.text("mphub.https.truststore-location")
            .check(path -> Files.isReadable(Path.of(path)), "is not a readable file")
            .description("Certificates (a private CA's) to trust for outbound HTTPS to destinations and providers,"
                    + " besides the JDK's public CAs: a destination behind a company CA. Not set: the public CAs only.");
    public static final Setting<String> TRUSTSTORE_TYPE = Setting.oneOf("mphub.https.truststore-type", "PEM", "PKCS12",
            "JKS").defaultValue("PEM").description("Its format: PEM (one or more certificates, as a CA hands them out),"
                    + " PKCS12 or JKS.");
    public static final Setting<Secret> TRUSTSTORE_PASSWORD = Setting.secret("mphub.https.truststore-password")
            .description("The PKCS12 or JKS store's password, if it has one.");

    public static final List<Setting<?>> ALL = List.of(TRUSTSTORE, TRUSTSTORE_TYPE, TRUSTSTORE_PASSWORD);

    private static final Logger LOG = LoggerFactory.getLogger(ExtraTrust.class);
    /** What {@link #install} made the default trust, for the contexts that carry a client key; null: the JDK's. */
    private static volatile TrustManager[] installed;

    /** The extra certificates, and the file they were read from. */
    public record Store(String location, KeyStore certificates) {
    }

    private ExtraTrust() {
    }

    /**
     * The extra certificates, when a store is set and can be read; otherwise empty, with a problem naming the setting
     * when it is set but cannot be read.
     */
    public static Optional<Store> read(Settings.Reader settings) {
        Optional<String> location = settings.optional(TRUSTSTORE);
        String type = settings.get(TRUSTSTORE_TYPE);
        Optional<Secret> password = settings.optional(TRUSTSTORE_PASSWORD);
        if (location.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Store(location.get(), load(Path.of(location.get()), type,
                    password.map(s -> s.value().toCharArray()).orElse(null))));
        } catch (IOException | GeneralSecurityException e) {
            settings.problem(TRUSTSTORE, "cannot be read as " + type + ": " + e.getMessage(), "give a " + type
                    + " file of the CA's certificates (" + TRUSTSTORE_TYPE.envName() + " names the format, "
                    + TRUSTSTORE_PASSWORD.envName() + " the password of a PKCS12 or JKS store)");
            return Optional.empty();
        }
    }

    /** Makes the JVM's default TLS context trust these too; before any HTTP client of the hub is made. */
    public static void install(Store extra) {
        try {
            installed = new TrustManager[] {trustManager(extra.certificates())};
            SSLContext.setDefault(trusting(extra.certificates()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the TLS context could not be made", e);
        }
        LOG.info("Outbound HTTPS trusts the JDK's CAs and the certificates of {}", extra.location());
    }

    static KeyStore load(Path file, String type, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store;
        if (type.equals("PEM")) {
            store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            try (InputStream in = Files.newInputStream(file)) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("extra-" + i++, c);
                }
            }
            if (store.size() == 0) {
                throw new CertificateException("no certificate in it");
            }
        } else {
            store = KeyStore.getInstance(type);
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, password);
            }
        }
        return store;
    }

    /**
     * A TLS context that presents {@code key}'s certificate when a server asks for one (mutual TLS), and trusts what
     * the hub's outbound HTTPS trusts (the JDK's CAs, and the extra store once installed).
     */
    public static SSLContext withClientKey(KeyStore key, char[] password) throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(key, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), installed, null);
        return context;
    }

    /** A TLS context that trusts what the JDK trusts, and {@code extra}. */
    static SSLContext trusting(KeyStore extra) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustManager(extra)}, null);
        return context;
    }

    /** Trusts a server the JDK's CAs vouch for, or else one {@code extra} does. */
    static X509ExtendedTrustManager trustManager(KeyStore extra) throws GeneralSecurityException {
        return new Either(manager(null), manager(extra));
    }

    private static X509ExtendedTrustManager manager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return Arrays.stream(factory.getTrustManagers()).filter(X509ExtendedTrustManager.class::isInstance)
                .map(X509ExtendedTrustManager.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("no X.509 trust manager"));
    }

    /** Trusts a server when the JDK's trust manager does, or else the extra store's; as a client only. */
    private static final class Either extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager jdk;
        private final X509ExtendedTrustManager extra;

        Either(X509ExtendedTrustManager jdk, X509ExtendedTrustManager extra) {
            this.jdk = jdk;
            this.extra = extra;
        }

        private interface Check {
            void run(X509ExtendedTrustManager manager) throws CertificateException;
        }

        private void either(Check check) throws CertificateException {
            try {
                check.run(jdk);
            } catch (CertificateException notPublic) {
                try {
                    check.run(extra);
                } catch (CertificateException notExtra) {
                    notPublic.addSuppressed(notExtra);
                    throw notPublic;
                }
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            either(m -> m.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            either(m -> m.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            either(m -> m.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the hub's outbound TLS trusts servers only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>(Arrays.asList(jdk.getAcceptedIssuers()));
            all.addAll(Arrays.asList(extra.getAcceptedIssuers()));
            return all.toArray(X509Certificate[]::new);
        }
    }
}
