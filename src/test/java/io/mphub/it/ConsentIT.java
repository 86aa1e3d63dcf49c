package io.mphub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mphub.boot.TestHub;
import io.mphub.privacy.Audit;
import io.mphub.testing.Events;
import io.mphub.testing.Receiver;
import io.mphub.testing.TestRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consent as the shipped analytics destination needs it (scope analytics, users without a record withheld), through
 * the real broker: grant → delivered, withdraw → withheld and counted, never dead-lettered; the state kept across a
 * restart and seen by a second hub in the same group. Destinations that need no consent get everything meanwhile.
 */
class ConsentIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final HubFixture fixture = new HubFixture();
    /** The shipped default, which the fixture turns off for the tests of delivery. */
    private static final Map<String, String> WITHHOLD = Map.of(
            "mphub.destinations.analytics.consent.without-record", "withhold");

    private static void browse(String id, String user) {
        fixture.kafka.publish("mp.events.behaviour", user, Events.structured(id, "mp.behaviour.page_view", user,
                Events.behaviour(user, "pages/goods/detail")));
    }

    private static void consent(String topic, String id, String user, List<String> granted, List<String> withdrawn) {
        fixture.kafka.publish(topic, user, Events.structured(id, "mp.user.consent", user,
                Events.consent(user, granted, withdrawn)));
    }

    private static void awaitArrived(String destination, String id) {
        Receiver r = fixture.receiver(destination);
        await().atMost(60, TimeUnit.SECONDS).until(() -> !r.attemptsOf(id).isEmpty());
    }

    /** The audit record of the event {@code id} at analytics, once there is one. */
    private static JsonNode audited(String id) {
        return await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.readAll(Audit.TOPIC).stream().map(r -> json(r.value()))
                .filter(r -> r.path("destination").asText().equals("analytics"))
                .filter(r -> r.path("events").findValuesAsText("id").contains(id)).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private static JsonNode json(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double withheld(TestHub hub, String reason) throws Exception {
        return hub.metric("mphub_privacy_withheld_total{destination=\"analytics\",reason=\"" + reason
                + "\",scope=\"analytics\"}");
    }

    /**
     * Two hubs at once in one group, each with its part: hub A ingests mp.events.login (where the consent events go)
     * and does not deliver to analytics at all; hub B ingests mp.events.behaviour and alone delivers to analytics. So
     * every decision is recorded on A and judged, live, on B.
     */
    @Test
    void aDecisionRecordedOnOneHubIsAppliedAtOnceByAnotherThatIsRunning(@TempDir Path temp) throws Exception {
        Path routesA = TestRoutes.copyInto(temp);
        Files.delete(routesA.resolve("destinations/analytics.camel.yaml"));
        Path dispatch = routesA.resolve("dispatch.camel.yaml");
        Files.writeString(dispatch, Files.readString(dispatch).replace(",analytics", "")
                .replace("constant: analytics,", "constant: ").replace("constant: analytics", "constant: \"\""));
        Map<String, String> a = new HashMap<>(WITHHOLD);
        a.put("mphub.routes.dir", routesA.toString());
        a.put("mphub.ingest.topics", "mp.events.login");
        Map<String, String> b = new HashMap<>(WITHHOLD);
        b.put("mphub.ingest.topics", "mp.events.behaviour");
        fixture.startHub(a);
        TestHub hubB = TestHub.start(fixture.properties(b));
        try {
            String user = "oConsentLive1";
            consent("mp.events.login", "cl-grant", user, List.of("analytics"), List.of());
            fixture.kafka.publish("mp.events.login", user, Events.structured("cl-login-1", "mp.user.login", user,
                    Events.login(user)));
            awaitArrived("customer-service", "cl-login-1"); // A has recorded the grant
            browse("cl-granted", user);
            awaitArrived("analytics", "cl-granted");

            consent("mp.events.login", "cl-withdraw", user, List.of(), List.of("analytics"));
            fixture.kafka.publish("mp.events.login", user, Events.structured("cl-login-2", "mp.user.login", user,
                    Events.login(user)));
            awaitArrived("customer-service", "cl-login-2"); // A has recorded the withdrawal
            browse("cl-withdrawn", user);
            assertThat(audited("cl-withdrawn").path("reason").asText()).isEqualTo("withdrawn");
            assertThat(withheld(hubB, "withdrawn")).isGreaterThanOrEqualTo(1);
            assertThat(fixture.receiver("analytics").attemptsOf("cl-withdrawn")).isEmpty();
        } finally {
            hubB.close();
            fixture.hub.close();
            fixture.hub = null;
        }
    }

    @Test
    void grantDeliversWithdrawWithholdsAndTheStateOutlastsARestartAndReachesASecondHub() throws Exception {
        fixture.startHub(WITHHOLD);
        Receiver analytics = fixture.receiver("analytics");
        String user = "oConsentUser1";

        // No record yet: withheld, counted, not dead-lettered; customer-service (no scope) gets the user's login.
        browse("cn-before", user);
        fixture.kafka.publish("mp.events.login", user, Events.structured("cn-login-1", "mp.user.login", user,
                Events.login(user)));
        awaitArrived("customer-service", "cn-login-1");
        assertThat(audited("cn-before").path("outcome").asText()).isEqualTo("withheld");
        assertThat(audited("cn-before").path("reason").asText()).isEqualTo("no_consent");
        assertThat(withheld(fixture.hub, "no_consent")).isGreaterThanOrEqualTo(1);

        // Granted on the topic of the browsing that follows: ingested in order, so the browsing is delivered, and
        // the one before the grant, earlier in the same partition, never was.
        consent("mp.events.behaviour", "cn-grant", user, List.of("analytics", "marketing"), List.of());
        browse("cn-granted", user);
        awaitArrived("analytics", "cn-granted");
        assertThat(analytics.attemptsOf("cn-before")).isEmpty();

        // Withdrawn on another topic: once it is recorded (its ingest's own offset committed, i.e. the login after
        // it on that topic has been delivered), nothing more of this user reaches analytics.
        consent("mp.events.login", "cn-withdraw", user, List.of(), List.of("analytics"));
        fixture.kafka.publish("mp.events.login", user, Events.structured("cn-login-2", "mp.user.login", user,
                Events.login(user)));
        awaitArrived("customer-service", "cn-login-2");
        browse("cn-withdrawn", user);
        assertThat(audited("cn-withdrawn").path("reason").asText()).isEqualTo("withdrawn");
        assertThat(withheld(fixture.hub, "withdrawn")).isGreaterThanOrEqualTo(1);
        assertThat(analytics.attemptsOf("cn-withdrawn")).isEmpty();
        assertThat(analytics.attemptsOf("cn-login-2")).isEmpty();
        assertThat(fixture.kafka.read("mp.dlq.analytics", 1, java.time.Duration.ofSeconds(2))).isEmpty();

        // Another user grants; then the hub restarts, and a second hub joins its group.
        String other = "oConsentUser2";
        consent("mp.events.behaviour", "cn-grant-2", other, List.of("analytics"), List.of());
        browse("cn-other-1", other);
        awaitArrived("analytics", "cn-other-1");
        fixture.hub.close();
        fixture.startHub(WITHHOLD);
        TestHub second = TestHub.start(fixture.properties(WITHHOLD));
        try {
            browse("cn-other-2", other);
            browse("cn-withdrawn-2", user);
            awaitArrived("analytics", "cn-other-2");
            assertThat(audited("cn-withdrawn-2").path("reason").asText()).isEqualTo("withdrawn");
            // The first hub leaves: the second alone judges what follows, from the state it read.
            fixture.hub.close();
            fixture.hub = null;
            double bySecond = withheld(second, "withdrawn");
            browse("cn-other-3", other);
            browse("cn-withdrawn-3", user);
            awaitArrived("analytics", "cn-other-3");
            assertThat(audited("cn-withdrawn-3").path("reason").asText()).isEqualTo("withdrawn");
            assertThat(withheld(second, "withdrawn")).isGreaterThan(bySecond);
            // Granted again: what the user does next reaches analytics again; what was withheld stays withheld (it
            // was judged, and committed, before the new grant).
            consent("mp.events.behaviour", "cn-regrant", user, List.of("analytics"), List.of());
            browse("cn-regranted", user);
            awaitArrived("analytics", "cn-regranted");
            assertThat(analytics.attemptsOf("cn-withdrawn-2")).isEmpty();
            assertThat(analytics.attemptsOf("cn-withdrawn-3")).isEmpty();
        } finally {
            second.close();
        }
    }
}
