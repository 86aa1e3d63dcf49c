package io.mphub.it;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.mphub.testing.Events;
import io.mphub.testing.HubProcess;
import io.mphub.testing.Receiver;
import io.mphub.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A destination behind a private CA (a company's internal one), with the packaged hub: trusted when
 * {@code mphub.https.truststore-location} holds that CA, and then delivered over HTTPS; not trusted without it, and then
 * paused (the endpoint is unreachable for the hub, as when it is down), never dead-lettered.
 */
class PrivateCaIT {

    @RegisterExtension
    static final HubFixture fixture = new HubFixture();

    @TempDir
    static Path certificates;

    @TempDir
    Path temp;

    private static TestCertificates ca;
    private static Receiver behindCa;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.localhost(certificates);
        behindCa = fixture.closing(Receiver.startHttps(ca.serverContext()));
    }

    @Test
    void aDestinationBehindAPrivateCaIsDeliveredOverHttpsWhenTheCaIsTrusted() throws Exception {
        Map<String, String> env = env();
        env.put("MPHUB_HTTPS_TRUSTSTORE_LOCATION", ca.caPem().toString());
        try (HubProcess hub = HubProcess.start(env, temp.resolve("trusted.log"))) {
            assertThat(hub.log()).contains("mphub started")
                    .contains("Outbound HTTPS trusts the JDK's CAs and the certificates of " + ca.caPem());
            fixture.kafka.publish("mp.events.login", "oCaUser", Events.structured("private-ca-1", "mp.user.login",
                    "oCaUser", Events.login("oCaUser")));
            await().atMost(60, TimeUnit.SECONDS).until(() -> behindCa.delivered().contains("private-ca-1"));
            assertThat(behindCa.posts()).allSatisfy(a -> assertThat(a.signatureValid()).isTrue());
            // The public destinations are unchanged: analytics is reached as before.
            await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.receivers.get("analytics").delivered()
                    .contains("private-ca-1"));
        }
    }

    @Test
    void withoutTheCaTheDestinationPausesAndNothingIsDeadLettered() throws Exception {
        int before = behindCa.posts().size();
        try (HubProcess hub = HubProcess.start(env(), temp.resolve("untrusted.log"))) {
            assertThat(hub.log()).contains("mphub started");
            fixture.kafka.publish("mp.events.login", "oCaUser2", Events.structured("private-ca-2", "mp.user.login",
                    "oCaUser2", Events.login("oCaUser2")));
            await().atMost(60, TimeUnit.SECONDS).until(() -> hub.get("/metrics").body().lines().anyMatch(l ->
                    l.startsWith("mphub_destination_paused{") && l.contains("destination=\"customer-service\"")
                            && l.endsWith(" 1.0")));
            assertThat(hub.log()).contains("destination customer-service paused")
                    .contains("SSLHandshakeException: the TLS handshake failed").contains("mphub.https.truststore-location");
            assertThat(behindCa.posts()).hasSize(before);
        }
    }

    private static Map<String, String> env() {
        Map<String, String> env = fixture.env();
        env.put("MPHUB_DESTINATIONS_CUSTOMER_SERVICE_URL", behindCa.url());
        env.put("MPHUB_DESTINATIONS_CUSTOMER_SERVICE_SECRET", behindCa.secret());
        return env;
    }
}
