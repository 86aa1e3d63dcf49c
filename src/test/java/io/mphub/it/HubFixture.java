package io.mphub.it;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.mphub.TestHub;
import io.mphub.testing.Receiver;
import io.mphub.testing.TestKafka;

/** A real broker, one real receiver per default destination, and the hub wired to them. */
final class HubFixture implements AutoCloseable {

    static final String[] DESTINATIONS = {"analytics", "customer-service", "logistics", "notifications", "payment"};

    final TestKafka kafka;
    final Map<String, Receiver> receivers = new LinkedHashMap<>();
    TestHub hub;

    HubFixture() throws Exception {
        kafka = TestKafka.start();
        for (String d : DESTINATIONS) {
            receivers.put(d, Receiver.start());
        }
    }

    /** The properties that point every destination at its receiver, plus the test's own. */
    Map<String, String> properties(Map<String, String> extra) {
        Map<String, String> p = new HashMap<>();
        p.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        receivers.forEach((name, r) -> {
            p.put("mphub.destinations." + name + ".url", r.url());
            p.put("mphub.destinations." + name + ".secret", r.secret());
            p.put("mphub.destinations." + name + ".rate", "1000");
        });
        p.put("mphub.delivery.retry.initial-delay-ms", "50");
        p.put("mphub.delivery.retry.max-delay-ms", "200");
        p.put("mphub.delivery.probe.initial-delay-ms", "200");
        p.put("mphub.delivery.probe.max-delay-ms", "500");
        p.putAll(extra);
        return p;
    }

    HubFixture startHub(Map<String, String> extra) {
        return startHub(extra, Clock.systemUTC());
    }

    HubFixture startHub(Map<String, String> extra, Clock clock) {
        hub = TestHub.start(properties(extra), clock);
        return this;
    }

    Receiver receiver(String destination) {
        return receivers.get(destination);
    }

    @Override
    public void close() throws Exception {
        if (hub != null) {
            hub.close();
        }
        for (Receiver r : receivers.values()) {
            r.close();
        }
        kafka.close();
    }

}
