package io.mphub.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.mphub.boot.TestHub;
import io.mphub.testing.ConsoleClient;
import io.mphub.testing.Events;
import io.mphub.testing.Receiver;
import io.mphub.testing.TestSecrets;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The operators' console and its JSON API: on a listener of its own, apart from the callback port; actions only with
 * the operator token; a pause by hand that every replica obeys, that outlasts a restart and that only a resume ends;
 * the delivery log, filtered.
 */
class ConsoleIT {

    private static final String TOKEN = TestSecrets.alphanumeric(32);
    @RegisterExtension
    static final HubFixture fixture = new HubFixture();

    @BeforeAll
    static void start() {
        fixture.startHub(hubSettings());
    }

    private static Map<String, String> hubSettings() {
        return Map.of("mphub.console.token", TOKEN, "mphub.delivery.retry.max-attempts", "3");
    }

    private static ConsoleClient console() {
        return new ConsoleClient(fixture.hub.consolePort(), TOKEN);
    }

    @Test
    void nothingOperatorFacingIsOnTheCallbackPort() throws Exception {
        ConsoleClient callbackPort = new ConsoleClient(fixture.hub.httpPort(), TOKEN);
        for (String path : List.of("/", "/api/overview", "/api/deliveries", "/api/replays", "/console.js")) {
            assertThat(callbackPort.get(path).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(callbackPort.post("/api/destinations/payment/pause", "{}").statusCode()).isEqualTo(404);
        assertThat(callbackPort.post("/api/replays", "{\"destination\":\"payment\"}").statusCode()).isEqualTo(404);
        assertThat(console().destination("payment").path("state").asText()).isEqualTo("running");
        assertThat(console().get("/").body()).contains("<table id=\"destinations\"");
    }

    @Test
    void theConsoleListensOnTheLoopbackAddressOnly() throws Exception {
        Optional<InetAddress> other = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
        try (Socket loopback = new Socket()) {
            loopback.connect(new InetSocketAddress("127.0.0.1", fixture.hub.consolePort()), 2000);
        }
        assumeTrue(other.isPresent(), "this machine has no address but the loopback one to try");
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(other.get(), fixture.hub.consolePort()), 2000);
            }
        }).as("the console on " + other.get()).isInstanceOf(ConnectException.class);
    }

    @Test
    void aRequestForAnotherHostIsRefusedAndThePageCannotBeFramed() throws Exception {
        assertThat(statusLine("evil.example")).contains(" 421 ");
        assertThat(statusLine("127.0.0.1:" + fixture.hub.consolePort())).contains(" 200 ");
        var page = console().get("/");
        assertThat(page.headers().firstValue("x-frame-options")).hasValue("DENY");
        assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("frame-ancestors 'none'"));
    }

    /** The status line of GET /api/overview sent with this Host header (a DNS-rebinding page sends its own name). */
    private static String statusLine(String host) throws Exception {
        try (Socket s = new Socket("127.0.0.1", fixture.hub.consolePort())) {
            s.getOutputStream().write(("GET /api/overview HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void everyActionNeedsTheOperatorTokenWhichIsNeverLogged() throws Exception {
        var logs = fixture.logs();
        ConsoleClient none = new ConsoleClient(fixture.hub.consolePort(), null);
        ConsoleClient wrong = new ConsoleClient(fixture.hub.consolePort(), TOKEN.substring(1) + "x");
        ConsoleClient prefix = new ConsoleClient(fixture.hub.consolePort(), TOKEN.substring(0, 16));
        for (ConsoleClient c : List.of(none, wrong, prefix)) {
            assertThat(c.post("/api/destinations/logistics/pause", "{}").statusCode()).isEqualTo(401);
            assertThat(c.post("/api/destinations/logistics/resume", "{}").statusCode()).isEqualTo(401);
            assertThat(c.post("/api/replays", "{\"destination\":\"logistics\",\"dryRun\":true}").statusCode())
                    .isEqualTo(401);
        }
        assertThat(console().destination("logistics").path("state").asText()).isEqualTo("running");
        assertThat(console().get("/api/destinations/logistics/pause").statusCode()).as("GET").isEqualTo(405);
        assertThat(console().post("/api/destinations/nosuch/pause", "{}").statusCode()).isEqualTo(404);

        assertThat(console().post("/api/destinations/logistics/pause", "{\"why\":\"token check\"}").statusCode())
                .isEqualTo(200);
        assertThat(console().post("/api/destinations/logistics/resume", "{}").statusCode()).isEqualTo(200);
        assertThat(console().destination("logistics").path("state").asText()).isEqualTo("running");
        assertThat(logs.lines()).anyMatch(l -> l.contains("refused: a wrong operator token"))
                .noneMatch(l -> l.contains(TOKEN) || l.contains(TOKEN.substring(0, 16)));
    }

    @Test
    void aHandPauseHoldsEveryReplicaAndOutlastsARestartUntilAnOperatorResumes() throws Exception {
        Receiver payment = fixture.receiver("payment");
        Receiver analytics = fixture.receiver("analytics");
        TestHub second = fixture.closing(TestHub.start(fixture.properties(hubSettings())));
        assertThat(console().post("/api/destinations/payment/pause", "{\"why\":\"receiver upgrade\"}").statusCode())
                .isEqualTo(200);
        // The other replica obeys as well: it reads the pause from the control topic.
        await().atMost(20, TimeUnit.SECONDS).until(() -> ServiceHelper.isSuspended(
                second.camel().getRoute("deliver-payment").getConsumer()));

        List<String> ids = new ArrayList<>();
        ids.addAll(fixture.publishOrders("held-a-", 10));
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(analytics.delivered()).containsAll(ids));
        // Paused, not failing: the lag grows by what was published, and nothing is dead-lettered.
        await().atMost(30, TimeUnit.SECONDS).until(() -> console().destination("payment").path("lag").asLong() >= 10);
        JsonNode paused = console().destination("payment");
        assertThat(paused.path("state").asText()).isEqualTo("paused");
        assertThat(paused.path("pause").path("cause").asText()).isEqualTo("hand");
        assertThat(paused.path("pause").path("why").asText()).contains("receiver upgrade");
        assertThat(paused.path("pause").has("until")).as("no end but an operator's").isFalse();
        assertThat(payment.delivered()).doesNotContainAnyElementsOf(ids);

        // A restart of both replicas: the pause is read back from Kafka before the routes start.
        second.close();
        fixture.hub.close();
        fixture.startHub(hubSettings());
        ids.addAll(fixture.publishOrders("held-b-", 5));
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(analytics.delivered()).containsAll(ids));
        await().atMost(30, TimeUnit.SECONDS).until(() -> console().destination("payment").path("lag").asLong() >= 15);
        assertThat(console().destination("payment").path("state").asText()).isEqualTo("paused");
        assertThat(payment.delivered()).doesNotContainAnyElementsOf(ids);

        assertThat(console().post("/api/destinations/payment/resume", "{}").statusCode()).isEqualTo(200);
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(payment.delivered()).containsAll(ids));
        assertThat(payment.posts()).allSatisfy(a -> assertThat(a.signatureValid()).isTrue());
        assertThat(console().destination("payment").path("state").asText()).isEqualTo("running");
        assertThat(fixture.kafka.read("mp.dlq.payment", 1, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void theDeliveryLogShowsEachAttemptFilteredByDestinationOutcomeAndEvent() throws Exception {
        Receiver logistics = fixture.receiver("logistics");
        String id = "log-1";
        logistics.answer(a -> a.webhookId().equals(id) && logistics.attempt(id) == 1
                ? Receiver.Answer.of(503) : Receiver.Answer.of(204));
        String u = "oLogUser";
        fixture.kafka.publish("mp.events.order", u, Events.structured(id, "mp.order.shipped", u,
                Events.orderShipped(u, "LOG0001")));
        await().atMost(30, TimeUnit.SECONDS).until(() -> logistics.delivered().contains(id));

        JsonNode attempts = console().json("/api/deliveries?destination=logistics&event=" + id).path("attempts");
        assertThat(attempts).hasSize(2);
        JsonNode delivered = attempts.get(0);
        JsonNode retried = attempts.get(1);
        assertThat(retried.path("attempt").asInt()).isEqualTo(1);
        assertThat(retried.path("outcome").asText()).isEqualTo("retry");
        assertThat(retried.path("reason").asText()).isEqualTo("http_503");
        assertThat(retried.path("answer").asText()).isEqualTo("HTTP 503");
        assertThat(retried.path("type").asText()).isEqualTo("mp.order.shipped");
        assertThat(delivered.path("attempt").asInt()).isEqualTo(2);
        assertThat(delivered.path("outcome").asText()).isEqualTo("delivered");
        assertThat(delivered.path("answer").asText()).isEqualTo("HTTP 204");
        assertThat(delivered.path("latencyMillis").asLong()).isGreaterThanOrEqualTo(0);
        // No bodies, no personal values: only these fields.
        List<String> fields = new ArrayList<>();
        delivered.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("at", "destination", "eventId", "type", "attempt", "outcome",
                "reason", "answer", "latencyMillis");
        assertThat(attempts.toString()).doesNotContain(u).doesNotContain("LOG0001");

        assertThat(console().json("/api/deliveries?destination=logistics&outcome=retry&event=" + id)
                .path("attempts")).hasSize(1);
        assertThat(console().json("/api/deliveries?destination=payment&event=" + id).path("attempts"))
                .as("mp.order.shipped does not go to payment").isEmpty();
        JsonNode lastError = console().destination("logistics").path("lastError");
        assertThat(lastError.path("answer").asText()).isEqualTo("HTTP 503");
        assertThat(console().get("/?destination=logistics&outcome=retry").body()).contains(id).contains("HTTP 503");
    }
}
