package io.mphub.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.testing.Events;
import io.mphub.testing.Receiver;
import org.apache.camel.Consumer;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A destination whose endpoint is down is paused, not dead-lettered, while the others deliver as usual; when
 * the endpoint comes back the destination resumes by itself and receives everything, with the same webhook-ids.
 */
class PauseIT {

    private static final int EVENTS = 40;
    @RegisterExtension
    static final HubFixture fixture = new HubFixture();

    @BeforeAll
    static void start() throws Exception {
        fixture.startHub(Map.of("mphub.delivery.retry.max-attempts", "3"));
    }

    @Test
    void deadEndpointIsPausedWhileOthersDeliverThenResumes() throws Exception {
        Receiver customerService = fixture.receiver("customer-service");
        Receiver analytics = fixture.receiver("analytics");
        customerService.stop();
        List<String> ids = IntStream.range(0, EVENTS).mapToObj(i -> "down-" + i).toList();
        for (int i = 0; i < EVENTS; i++) {
            String u = "oPauseUser" + (i % 7);
            fixture.kafka.publish("mp.events.login", u, Events.structured(ids.get(i), "mp.user.login", u, Events.login(u)));
        }

        // analytics receives every login while customer-service is down…
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(analytics.delivered()).containsAll(ids));
        // …and customer-service's consumer is paused rather than dead-lettering.
        Consumer consumer = fixture.hub.camel().getRoute("deliver-customer-service").getConsumer();
        await().atMost(30, TimeUnit.SECONDS).until(() -> ServiceHelper.isSuspended(consumer));
        assertThat(customerService.delivered()).doesNotContainAnyElementsOf(ids);

        customerService.listen();
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(customerService.delivered()).containsAll(ids));
        assertThat(ServiceHelper.isSuspended(consumer)).isFalse();
        assertThat(customerService.posts()).allSatisfy(a -> assertThat(a.signatureValid()).isTrue());
        assertThat(fixture.kafka.read("mp.dlq.customer-service", 1, Duration.ofSeconds(2))).isEmpty();
        assertThat(fixture.kafka.read("mp.dlq.analytics", 1, Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void readinessShowsEachPauseAndFailsOnlyWhenEveryDestinationIsPaused() throws Exception {
        List<Receiver> all = List.copyOf(fixture.receivers.values());
        Receiver payment = fixture.receiver("payment");
        payment.stop();
        String u = "oReadyUser";
        fixture.kafka.publish("mp.events.order", u, Events.structured("ready-1", "mp.order.created", u,
                Events.orderCreated(u, "RDY0001")));
        await().atMost(30, TimeUnit.SECONDS).until(() -> destination("payment").path("state").asText()
                .equals("paused"));
        assertThat(readiness().statusCode()).as("one destination paused: the hub still does its job").isEqualTo(200);
        JsonNode paused = destination("payment");
        assertThat(paused.path("cause").asText()).isEqualTo("endpoint_down");
        assertThat(paused.path("why").asText()).contains("attempts, last: ");
        assertThat(paused.path("since").asText()).isNotBlank();
        assertThat(paused.path("nextProbe").asText()).isNotBlank();
        assertThat(destination("analytics").path("state").asText()).isEqualTo("running");

        all.forEach(Receiver::stop);
        fixture.kafka.publish("mp.events.order", u, Events.structured("ready-2", "mp.order.shipped", u,
                Events.orderShipped(u, "RDY0001")));
        await().atMost(60, TimeUnit.SECONDS).until(() -> readiness().statusCode() == 503);
        assertThat(readiness().body()).contains("every destination is paused: nothing can be delivered");
        assertThat(fixture.hub.metric("mphub_destination_paused{destination=\"logistics\"}")).isEqualTo(1);

        for (Receiver r : all) {
            r.listen();
        }
        await().atMost(60, TimeUnit.SECONDS).until(() -> readiness().statusCode() == 200);
        await().atMost(60, TimeUnit.SECONDS).until(() -> payment.delivered().contains("ready-1")
                && fixture.receiver("logistics").delivered().contains("ready-2"));
        assertThat(fixture.hub.metric("mphub_destination_paused{destination=\"logistics\"}")).isZero();
    }

    private static JsonNode destination(String name) throws Exception {
        for (JsonNode d : new ObjectMapper().readTree(readiness().body()).path("destinations")) {
            if (d.path("name").asText().equals(name)) {
                return d;
            }
        }
        throw new AssertionError("readiness does not list destination " + name);
    }

    private static HttpResponse<String> readiness() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + fixture.hub.httpPort() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    }
}
