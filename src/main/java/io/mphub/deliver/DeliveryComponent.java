package io.mphub.deliver;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.privacy.Audit;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.support.DefaultComponent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The Camel component {@value #SCHEME}: a destination's delivery route reads its outbox topic through it
 * (routes/templates/deliver.camel.yaml). Its Kafka consumers take every client setting the hub gives camel-kafka
 * ({@code camel.component.kafka.*}: brokers, fetch sizes, session timeout), so they are set in one place.
 */
public final class DeliveryComponent extends DefaultComponent {

    public static final String SCHEME = "mphub-delivery";
    /** Records a poll returns at most (Kafka's default): enough users at once to fill every lane. */
    private static final int MAX_POLL_RECORDS = 500;

    private final Function<String, Destination> destinations;
    private final Audit audit;
    private final MeterRegistry metrics;
    private final Stopping stopping;
    /** Each destination's consumer now: a route made anew makes a new one. */
    private final Map<String, OutboxConsumer> consumers = new ConcurrentHashMap<>();

    /** @param destinations a running destination by name (its in-flight bound and rate) */
    public DeliveryComponent(Function<String, Destination> destinations, Audit audit, MeterRegistry metrics,
            Stopping stopping) {
        this.destinations = destinations;
        this.audit = audit;
        this.metrics = metrics;
        this.stopping = stopping;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new DeliveryEndpoint(uri, this, remaining);
    }

    OutboxConsumer consumer(DeliveryEndpoint endpoint, Processor processor, String name) {
        Destination destination = destinations.apply(name);
        KafkaConfiguration kafka = getCamelContext().getComponent("kafka", KafkaComponent.class).getConfiguration();
        Properties properties = kafka.createConsumerProperties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, destination.consumerGroup());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "mphub-deliver-" + name);
        // The consumer commits itself, each offset once every record before it is finished.
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(MAX_POLL_RECORDS));
        // Cooperative rebalancing: when a replica joins or leaves, this one keeps delivering from the partitions it
        // keeps (a commit the rebalance refuses is made again at the next one). camel-kafka's consumers (ingest,
        // batches) keep Kafka's eager assignor: they reconnect on such a refusal, and cooperative rebalancing then
        // never settles.
        properties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        OutboxConsumer consumer = new OutboxConsumer(endpoint, processor, destination, properties, audit,
                Duration.ofMillis(kafka.getPollTimeoutMs()), stopping);
        if (consumers.put(name, consumer) == null) {
            Gauge.builder("mphub.delivery.in.flight", consumers, c -> c.containsKey(name) ? c.get(name).inFlight() : 0)
                    .description("events being sent to the destination now (at most its in-flight setting)")
                    .tag("destination", name).register(metrics);
        }
        return consumer;
    }
}
