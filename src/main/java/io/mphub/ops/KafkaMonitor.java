package io.mphub.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.config.Durations;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the cluster from the hub's side, every interval: whether Kafka answers, and how far behind each of the
 * hub's consumer groups is (from the group's committed offsets and the partitions' end offsets, as Kafka reports them,
 * not estimated). A broker that stops answering is logged once, and once when it is back, with how long it was away:
 * the clients' own connection warnings, one per client per second, are kept out of the log.
 */
public final class KafkaMonitor implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaMonitor.class);

    /** A consumer group of the hub and the topics it reads. */
    public record Group(String id, List<String> topics) {
    }

    /** Whether Kafka answered the last check, since when it has (or has not), and the error when not. */
    public record Connectivity(boolean up, Instant since, String error) {
    }

    private final Admin admin;
    private final String bootstrapServers;
    private final List<Group> groups = new CopyOnWriteArrayList<>();
    private final List<String> counted = new CopyOnWriteArrayList<>();
    private final MeterRegistry metrics;
    private final Duration timeout;
    private final Clock clock;
    private volatile Connectivity connectivity;
    private final Map<String, Long> lag = new ConcurrentHashMap<>();
    private final Map<String, Long> records = new ConcurrentHashMap<>();

    /** @param counted topics whose records are counted (the dead-letter topics): {@link #records} */
    public KafkaMonitor(Admin admin, String bootstrapServers, List<Group> groups, List<String> counted,
            Duration timeout, Clock clock, MeterRegistry metrics) {
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.metrics = metrics;
        this.counted.addAll(counted);
        this.timeout = timeout;
        this.clock = clock;
        // The hub has just created its topics: Kafka answered.
        this.connectivity = new Connectivity(true, clock.instant(), null);
        Gauge.builder("mphub.kafka.up", this, m -> m.connectivity.up() ? 1 : 0)
                .description("1 while Kafka answers the hub's checks, 0 while it does not").register(metrics);
        groups.forEach(g -> watch(g, List.of()));
    }

    /** Watches one more group, and counts the records of {@code counted} (a destination added while the hub runs). */
    public void watch(Group group, List<String> counted) {
        groups.add(group);
        this.counted.addAll(counted);
        Gauge.builder("mphub.consumer.lag.records", this, m -> m.lag(group.id()).map(Long::doubleValue)
                        .orElse(Double.NaN))
                .description("records in the group's topics not yet committed by the group (NaN until known)")
                .tag("group", group.id()).register(metrics);
    }

    /** Stops watching a group and counting {@code counted} (a destination stopped while the hub runs). */
    public void unwatch(String group, List<String> counted) {
        groups.removeIf(g -> g.id().equals(group));
        this.counted.removeAll(counted);
        lag.remove(group);
        counted.forEach(records::remove);
    }

    public Connectivity connectivity() {
        return connectivity;
    }

    /** The group's lag at the last check that reached Kafka. */
    public Optional<Long> lag(String group) {
        return Optional.ofNullable(lag.get(group));
    }

    /** The records a counted topic holds (end offsets less start offsets) at the last check that reached Kafka. */
    public Optional<Long> records(String topic) {
        return Optional.ofNullable(records.get(topic));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** One check; scheduled every interval. */
    @Override
    public void run() {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).nodes()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            reachable();
            refreshLag();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            unreachable(e);
        }
    }

    private void reachable() {
        Connectivity was = connectivity;
        if (!was.up()) {
            Instant now = clock.instant();
            connectivity = new Connectivity(true, now, null);
            LOG.info("Kafka reachable again at {} after {}", bootstrapServers,
                    Durations.readable(Duration.between(was.since(), now)));
        }
    }

    private void unreachable(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String error = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        Connectivity was = connectivity;
        if (was.up()) {
            connectivity = new Connectivity(false, clock.instant(), error);
            LOG.warn("Kafka unreachable at {} ({}); the hub keeps trying, and events wait in Kafka: nothing is lost",
                    bootstrapServers, error);
        } else {
            connectivity = new Connectivity(false, was.since(), error);
        }
    }

    private void refreshLag() throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> topics = groups.stream().flatMap(g -> g.topics().stream()).collect(Collectors.toCollection(HashSet::new));
        topics.addAll(counted);
        // Topic by topic: one that is missing (a dead-letter topic deleted to purge it) is left out, not taken for
        // Kafka being down.
        Map<String, TopicDescription> described = new HashMap<>();
        for (var topic : admin.describeTopics(topics).topicNameValues().entrySet()) {
            try {
                described.put(topic.getKey(), topic.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                records.remove(topic.getKey());
            }
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        described.values().forEach(d -> d.partitions().forEach(p -> {
            latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
            earliest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.earliest());
        }));
        ListOffsetsOptions options = new ListOffsetsOptions().timeoutMs((int) timeout.toMillis());
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest, options).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, ListOffsetsResultInfo> starts = admin.listOffsets(earliest, options).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        // Every group's committed offsets in one call (one request per group coordinator).
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committedByGroup = admin.listConsumerGroupOffsets(
                        groups.stream().collect(Collectors.toMap(Group::id, g -> new ListConsumerGroupOffsetsSpec())),
                        new ListConsumerGroupOffsetsOptions().timeoutMs((int) timeout.toMillis()))
                .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        for (Group group : groups) {
            Map<TopicPartition, OffsetAndMetadata> committed = committedByGroup.getOrDefault(group.id(), Map.of());
            long behind = 0;
            for (Map.Entry<TopicPartition, ListOffsetsResultInfo> end : ends.entrySet()) {
                if (group.topics().contains(end.getKey().topic())) {
                    OffsetAndMetadata at = committed.get(end.getKey());
                    // A partition the group never committed is read from its start (auto.offset.reset=earliest).
                    long from = at != null ? at.offset() : starts.get(end.getKey()).offset();
                    behind += Math.max(0, end.getValue().offset() - from);
                }
            }
            lag.put(group.id(), behind);
        }
        for (String topic : counted) {
            if (!described.containsKey(topic)) {
                continue;
            }
            records.put(topic, ends.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                    .mapToLong(e -> e.getValue().offset() - starts.get(e.getKey()).offset()).sum());
        }
    }
}
