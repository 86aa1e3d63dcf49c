package io.mphub.it;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.mphub.TestHub;
import io.mphub.testing.HubProcess;
import io.mphub.testing.Receiver;
import io.mphub.testing.Receivers;
import io.mphub.testing.TestKafka;
import org.apache.camel.CamelContext;

/**
 * A real broker, one real receiver per default destination, and the hub wired to them: in this JVM
 * ({@link #startHub}), or as the packaged jar with {@link #env()}.
 */
final class HubFixture implements AutoCloseable {

    final TestKafka kafka;
    final Map<String, Receiver> receivers;
    private final Receivers all;
    TestHub hub;

    HubFixture() throws Exception {
        kafka = TestKafka.start();
        all = Receivers.start();
        receivers = all.all();
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

    /** The environment of the packaged hub ({@link io.mphub.testing.HubProcess}) on this broker and these receivers. */
    Map<String, String> env() {
        return HubProcess.env(kafka.bootstrapServers(), receivers);
    }

    HubFixture startHub(Map<String, String> extra) {
        return startHub(extra, Clock.systemUTC());
    }

    HubFixture startHub(Map<String, String> extra, Clock clock) {
        hub = TestHub.start(properties(extra), clock);
        return this;
    }

    /** @param beforeStart runs once the hub's beans are bound, before its routes start (see {@link TestHub}) */
    HubFixture startHub(Map<String, String> extra, Consumer<CamelContext> beforeStart) {
        hub = TestHub.start(properties(extra), Clock.systemUTC(), beforeStart);
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
        all.close();
        kafka.close();
    }

}
