package io.mphub.kafka;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer session timeouts the brokers accept ({@code group.min.session.timeout.ms} and
 * {@code group.max.session.timeout.ms}): a consumer asking for one outside them is refused from its group, which
 * camel-kafka would only log, again and again. The hub reads them at start-up and keeps its consumers inside.
 */
public record SessionBounds(int min, int max) {

    public static final String MIN = "group.min.session.timeout.ms";
    public static final String MAX = "group.max.session.timeout.ms";
    private static final Logger LOG = LoggerFactory.getLogger(SessionBounds.class);

    /** The bounds of one of the cluster's brokers; empty (and a warning logged) when the cluster does not say. */
    public static Optional<SessionBounds> of(Admin admin) throws InterruptedException {
        try {
            Node node = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).iterator().next();
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, node.idString());
            Config config = admin.describeConfigs(List.of(broker)).all().get(10, TimeUnit.SECONDS).get(broker);
            return Optional.of(new SessionBounds(value(config, MIN), value(config, MAX)));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.warn("could not read the brokers' {} and {} ({}): if consumers are refused from their groups with"
                    + " InvalidSessionTimeoutException, set camel.component.kafka.session-timeout-ms between them",
                    MIN, MAX, cause.toString());
            return Optional.empty();
        }
    }

    /** {@code asked}, or the nearest timeout the brokers accept. */
    public int fit(int asked) {
        return Math.max(min, Math.min(max, asked));
    }

    private static int value(Config config, String name) {
        ConfigEntry entry = config.get(name);
        if (entry == null || entry.value() == null) {
            throw new IllegalStateException("the broker does not show " + name);
        }
        return Integer.parseInt(entry.value());
    }
}
