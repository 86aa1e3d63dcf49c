package io.mphub.deliver;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.support.subcription.DefaultSubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions this replica's camel-kafka consumers own, by topic, so that a batch destination's rate follows them
 * as a per-event destination's does ({@link SharedRate}). camel-kafka subscribes every consumer through the bean
 * named {@value KafkaConstants#KAFKA_SUBSCRIBE_ADAPTER}: this one subscribes as camel-kafka's own does, with camel-kafka's
 * rebalance listener, and follows each rebalance after it.
 */
public final class OwnedPartitions implements SubscribeAdapter {

    /** The bean name camel-kafka looks this up by. */
    public static final String BEAN = KafkaConstants.KAFKA_SUBSCRIBE_ADAPTER;

    private final BooleanSupplier topicMustExist;
    /** Each consumer's partitions: a consumer's own thread changes its entry, in its rebalance callbacks. */
    private final Map<Consumer<?, ?>, Set<TopicPartition>> owned = new ConcurrentHashMap<>();
    private final Map<String, SharedRate> rates = new ConcurrentHashMap<>();

    /**
     * @param topicMustExist camel-kafka's {@code subscribeConsumerTopicMustExists}, which its own adapter would have
     *                       applied
     */
    public OwnedPartitions(BooleanSupplier topicMustExist) {
        this.topicMustExist = topicMustExist;
    }

    /** The rate of the destination whose outbox is {@code topic} follows the partitions of it this replica owns. */
    void follow(String topic, SharedRate rate) {
        rates.put(topic, rate);
    }

    void unfollow(String topic) {
        rates.remove(topic);
    }

    @Override
    public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener camel, TopicInfo topicInfo) {
        String topics = topicInfo.isPattern() ? topicInfo.getPattern().pattern() : String.join(",", topicInfo.getTopics());
        new DefaultSubscribeAdapter(topics, topicMustExist.getAsBoolean()).subscribe(consumer,
                new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        after(() -> camel.onPartitionsRevoked(partitions), consumer, partitions, false);
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        after(() -> camel.onPartitionsAssigned(partitions), consumer, partitions, true);
                    }

                    @Override
                    public void onPartitionsLost(Collection<TopicPartition> partitions) {
                        after(() -> camel.onPartitionsLost(partitions), consumer, partitions, false);
                    }
                }, topicInfo);
    }

    /** camel-kafka's own callback first; then, whatever it did, what the consumer owns now. */
    private void after(Runnable camel, Consumer<?, ?> consumer, Collection<TopicPartition> partitions, boolean gained) {
        try {
            camel.run();
        } finally {
            changed(consumer, partitions, gained);
        }
    }

    /**
     * Partitions a consumer gained or gave up (an eager rebalance gives up all, a cooperative one only those moving).
     * The consumers of a destination call back on their own threads: counted and set in one turn, so that the last
     * share set is the last count.
     */
    private synchronized void changed(Consumer<?, ?> consumer, Collection<TopicPartition> partitions, boolean gained) {
        Set<TopicPartition> its = new HashSet<>(owned.getOrDefault(consumer, Set.of()));
        if (gained) {
            its.addAll(partitions);
        } else {
            its.removeAll(partitions);
        }
        if (its.isEmpty()) {
            owned.remove(consumer); // a consumer that closed gave everything up
        } else {
            owned.put(consumer, Set.copyOf(its));
        }
        for (String topic : consumer.subscription()) {
            SharedRate rate = rates.get(topic);
            if (rate != null) {
                rate.owned(count(topic), consumer.partitionsFor(topic).size());
            }
        }
    }

    private int count(String topic) {
        return (int) owned.values().stream().flatMap(Set::stream).filter(p -> p.topic().equals(topic)).count();
    }
}
