package io.mphub.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.mphub.boot.TestHub;
import io.mphub.testing.Events;
import io.mphub.testing.HubProcess;
import io.mphub.testing.LogCapture;
import io.mphub.testing.PrivacyKeys;
import io.mphub.testing.Receiver;
import io.mphub.testing.Receivers;
import io.mphub.testing.TestKafka;
import io.mphub.testing.TestRoutes;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every integration test starts with: a real broker, one real receiver per default destination, and the hub
 * wired to them, in this JVM ({@link #startHub}) or as the packaged jar ({@link #env()}). Registered as
 * {@code @RegisterExtension static final HubFixture fixture = new HubFixture()}, it lives for the test class; as an
 * instance field, for each test. Whatever else a test starts (a provider's sandbox, a log capture) it hands to
 * {@link #closing}, and it is closed after the hub, before the broker.
 */
final class HubFixture implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback,
        AutoCloseable {

    TestKafka kafka;
    Map<String, Receiver> receivers;
    TestHub hub;
    private Receivers all;
    private LogCapture logs;
    private final Deque<AutoCloseable> others = new ArrayDeque<>();
    private boolean perClass;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        perClass = true;
        open();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            open();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    /** Starts the broker and the receivers; JUnit does it when the fixture is registered as an extension. */
    HubFixture open() throws Exception {
        kafka = TestKafka.start();
        all = Receivers.start();
        receivers = all.all();
        return this;
    }

    /** Closes {@code resource} when the fixture closes, after the hub, in the reverse order of the calls. */
    <T extends AutoCloseable> T closing(T resource) {
        others.push(resource);
        return resource;
    }

    /** The log lines from now until the fixture closes (see {@link LogCapture}). */
    LogCapture logs() {
        if (logs == null) {
            logs = closing(LogCapture.open());
        }
        return logs;
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
        p.putAll(PrivacyKeys.properties(receivers.keySet()));
        // Tests of delivery publish no consent: analytics (which ships needing the scope analytics) gets every user's
        // events until one withdraws. ConsentIT tests the shipped default, withhold.
        p.put("mphub.destinations.analytics.consent.without-record", "deliver");
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

    /**
     * Publishes {@code n} orders created ({@code mp.order.created}: payment, customer-service, analytics), ids
     * {@code prefix + 0 …}, three users in turn; returns the ids in order.
     */
    List<String> publishOrders(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String u = "oOrders" + (i % 3);
            String id = prefix + i;
            ids.add(id);
            kafka.publish("mp.events.order", u, Events.structured(id, "mp.order.created", u,
                    Events.orderCreated(u, String.format("ORD%s%04d", prefix.replaceAll("[^0-9A-Za-z]", ""), i))));
        }
        return ids;
    }

    /**
     * The setting for a test of the one-event-per-request path through {@code analytics} (which ships delivering in
     * batches): a copy of routes/ whose analytics file uses the template deliver.
     */
    Map<String, String> analyticsPerEvent() throws IOException {
        Path routes = TestRoutes.copyInto(Files.createTempDirectory("mphub-routes"));
        TestRoutes.edit(routes.resolve("destinations/analytics.camel.yaml"), "routeTemplateRef: deliver-batch",
                "routeTemplateRef: deliver");
        return Map.of("mphub.routes.dir", routes.toString());
    }

    /**
     * The setting for a test of something else than privacy that looks at what analytics receives: a copy of routes/
     * whose analytics file declares no field rules (every field whole; its consent scope as shipped, which the
     * fixture's users get without a record).
     */
    Map<String, String> analyticsWhole() {
        try {
            Path routes = TestRoutes.copyInto(Files.createTempDirectory("mphub-routes"));
            Path file = routes.resolve("destinations/analytics.camel.yaml");
            String text = Files.readString(file);
            Files.writeString(file, text.substring(0, text.indexOf("      - name: pseudonymize"))
                    + text.substring(text.indexOf("      - name: consent")));
            return Map.of("mphub.routes.dir", routes.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Receiver receiver(String destination) {
        return receivers.get(destination);
    }

    @Override
    public void close() throws Exception {
        if (hub != null) {
            hub.close();
            hub = null;
        }
        while (!others.isEmpty()) {
            others.pop().close();
        }
        logs = null;
        if (all != null) {
            all.close();
            all = null;
        }
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }
}
