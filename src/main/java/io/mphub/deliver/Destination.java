package io.mphub.deliver;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

import io.mphub.config.Secret;

/**
 * One third party the hub delivers to, as configured by {@code mphub.destinations.<name>.*}.
 *
 * @param kind   how requests are built, signed and classified ({@code webhook}: Standard Webhooks)
 * @param rate   the most requests per second the hub sends it
 * @param fields the {@code data} fields it may receive; empty means all
 */
public record Destination(String name, String kind, URI url, Secret secret, double rate, Duration timeout,
        RetryPolicy retry, Set<String> fields) {

    public String outboxTopic() {
        return "mp.out." + name;
    }

    public String deadLetterTopic() {
        return "mp.dlq." + name;
    }

    /** The id of its delivery route (routes/destinations/<name>.camel.yaml says so; start-up checks it). */
    public String routeId() {
        return "deliver-" + name;
    }

    /** Its delivery consumer group, as routes/templates/deliver.camel.yaml names it. */
    public String consumerGroup() {
        return "mphub.deliver." + name;
    }
}
