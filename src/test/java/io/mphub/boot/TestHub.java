package io.mphub.boot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.mphub.ops.ConsoleListener;
import io.mphub.ops.HttpListener;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import static org.awaitility.Awaitility.await;

/** The hub in this JVM, exactly as {@code java -jar} starts it, with properties set by the test. */
public final class TestHub implements AutoCloseable {

    private final Main main = new Main(Mphub.class);
    private final HubStart bootstrap;
    private final Thread thread;
    private volatile Throwable failure;

    private TestHub(Map<String, String> properties, Clock clock, Consumer<CamelContext> beforeStart) {
        bootstrap = new HubStart(clock);
        main.addMainListener(bootstrap);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport main) {
                // After the hub's own beforeConfigure (listeners run in order): its beans are bound, no route exists.
                beforeStart.accept(main.getCamelContext());
            }
        });
        main.setPropertyPlaceholderLocations("classpath:application.properties");
        properties.forEach(main::addOverrideProperty);
        thread = new Thread(() -> {
            try {
                main.run();
            } catch (Throwable e) {
                failure = e;
            }
        }, "test-hub");
    }

    /** Starts the hub and waits until its routes run. */
    public static TestHub start(Map<String, String> properties) {
        return start(properties, Clock.systemUTC());
    }

    /** With the test's clock as the hub's clock (token expiry, quota windows, timestamps). */
    public static TestHub start(Map<String, String> properties, Clock clock) {
        return start(properties, clock, camel -> {
        });
    }

    /**
     * @param beforeStart runs once the hub's beans are bound and before its routes start: a test can put a bean of its
     *                    own in place of one of the hub's (to make the hub's infrastructure fail on cue)
     */
    public static TestHub start(Map<String, String> properties, Clock clock, Consumer<CamelContext> beforeStart) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("mphub.demo.enabled", "false");
        all.put("mphub.http.port", "0");
        all.put("mphub.console.port", "0");
        all.put("mphub.routes.reload-enabled", "false");
        all.putAll(properties);
        TestHub hub = new TestHub(all, clock, beforeStart);
        hub.thread.start();
        await().atMost(60, TimeUnit.SECONDS).until(() -> hub.failure != null
                || hub.main.getCamelContext() != null && hub.main.getCamelContext().isStarted());
        if (hub.failure != null) {
            throw new IllegalStateException("hub failed to start: " + hub.failure.getMessage(), hub.failure);
        }
        return hub;
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    /** The port the hub's HTTP listener bound (tests start it on port 0). */
    public int httpPort() {
        return camel().getRegistry().lookupByNameAndType("httpListener", HttpListener.class).port();
    }

    /** The port the operators' console bound (tests start it on port 0). */
    public int consolePort() {
        return camel().getRegistry().lookupByNameAndType("consoleListener", ConsoleListener.class).port();
    }

    /** What the hub's {@code /metrics} shows now. */
    public String metrics() throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** The value of one series on {@code /metrics}, e.g. {@code mphub_callbacks_total{…}}; 0 while not counted. */
    public double metric(String series) throws IOException, InterruptedException {
        return metrics().lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1))).findFirst().orElse(0);
    }

    @Override
    public void close() throws InterruptedException {
        main.completed();
        thread.join(30_000);
        bootstrap.close();
    }
}
