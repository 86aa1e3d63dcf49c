package io.mphub.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.mphub.testing.Events;
import io.mphub.testing.Receiver;
import org.apache.camel.Consumer;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A destination whose endpoint is down is paused, not dead-lettered, while the others deliver as usual; when
 * the endpoint comes back the destination resumes by itself and receives everything, with the same webhook-ids.
 */
class PauseIT {

    private static final int EVENTS = 40;
    private static HubFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new HubFixture().startHub(Map.of("mphub.delivery.retry.max-attempts", "3"));
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
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
        assertThat(customerService.delivered()).isEmpty();

        customerService.listen();
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(customerService.delivered()).containsAll(ids));
        assertThat(ServiceHelper.isSuspended(consumer)).isFalse();
        assertThat(customerService.posts()).allSatisfy(a -> assertThat(a.signatureValid()).isTrue());
        assertThat(fixture.kafka.read("mp.dlq.customer-service", 1, Duration.ofSeconds(2))).isEmpty();
        assertThat(fixture.kafka.read("mp.dlq.analytics", 1, Duration.ofSeconds(1))).isEmpty();
    }
}
