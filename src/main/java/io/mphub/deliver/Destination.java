package io.mphub.deliver;

import java.net.URI;
import java.time.Duration;

import io.mphub.privacy.DataContract;

/**
 * One third party the hub delivers to: a file under routes/destinations/, configured by
 * {@code mphub.destinations.<name>.*} ({@link DeliverySettings}).
 *
 * @param kind   how requests are built, signed and answered ({@code webhook}: Standard Webhooks; or a provider's)
 * @param rate   the most requests per second the hub sends it (a batch is one request); 0: no limit
 * @param contract what of each event it may receive, and the consent it needs (its file's data contract)
 * @param batch  how it forms batches, when its file uses the template {@code deliver-batch}; else null
 * @param inFlight the most events it is sent at once, one user's at most one (template {@code deliver})
 */
public record Destination(String name, String kind, URI url, double rate, Duration timeout, RetryPolicy retry,
        DataContract contract, Batch batch, int inFlight) {

    /** A destination that delivers in batches, or with the default bound on events in flight. */
    public Destination(String name, String kind, URI url, double rate, Duration timeout, RetryPolicy retry,
            DataContract contract, Batch batch) {
        this(name, kind, url, rate, timeout, retry, contract, batch, DeliverySettings.IN_FLIGHT.defaultValue());
    }

    /** A destination that is sent one event per request. */
    public Destination(String name, String kind, URI url, double rate, Duration timeout, RetryPolicy retry,
            DataContract contract) {
        this(name, kind, url, rate, timeout, retry, contract, null);
    }

    /**
     * How a destination that delivers in batches forms them: a batch is sent when it holds {@code maxEvents}, or
     * {@code maxWait} after the last one went, whichever comes first; and it is cut so no request exceeds
     * {@code maxBytes}.
     *
     * @param maxEventBytes the largest event the platform takes: a larger one is dead-lettered at once
     */
    public record Batch(int maxEvents, long maxBytes, long maxEventBytes, Duration maxWait) {
    }

    public String outboxTopic() {
        return outboxTopic(name);
    }

    /** The outbox topic of the destination called {@code name}. */
    public static String outboxTopic(String name) {
        return "mp.out." + name;
    }

    public String deadLetterTopic() {
        return deadLetterTopic(name);
    }

    /** The dead-letter topic of the destination called {@code name}. */
    public static String deadLetterTopic(String name) {
        return "mp.dlq." + name;
    }

    /** The id of its delivery route: routes/destinations/<name>.camel.yaml must say so (checked at start-up). */
    public String routeId() {
        return routeId(name);
    }

    /** The id of the delivery route of the destination called {@code name}. */
    public static String routeId(String name) {
        return "deliver-" + name;
    }

    /** Its delivery consumer group, as routes/templates/deliver.camel.yaml names it (checked at start-up). */
    public String consumerGroup() {
        return consumerGroup(name);
    }

    /** The delivery consumer group of the destination called {@code name}. */
    public static String consumerGroup(String name) {
        return "mphub.deliver." + name;
    }
}
