package io.mphub.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics the hub reads and writes when they are missing; existing topics are left as they are. The topics
 * the hub writes itself ({@code mp.out.*}, {@code mp.dlq.*}, {@code mp.results}) are created with
 * {@code max.message.bytes} = the hub's record limit, so that a dead letter can keep the whole of a record an input
 * topic at the broker's default limit holds; input topics get the broker's defaults.
 */
public final class Topics {

    private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

    private Topics() {
    }

    /**
     * Creates what is missing of {@code inputs} (with the broker's defaults) and of {@code written}, the topics the hub
     * writes itself (with {@code max.message.bytes} = {@code maxRecordBytes}); a topic in both is one the hub writes.
     *
     * @return the largest record each topic of {@code written} takes: the smaller of its {@code max.message.bytes} and
     *         {@code maxRecordBytes}
     */
    public static RecordLimits ensure(Admin admin, Collection<String> inputs, Collection<String> written,
            int partitions, short replication, int maxRecordBytes) throws InterruptedException, ExecutionException {
        Set<String> existing = admin.listTopics().names().get();
        Set<String> hubs = new LinkedHashSet<>(written);
        List<NewTopic> missing = Stream.concat(inputs.stream(), hubs.stream()).distinct()
                .filter(name -> !existing.contains(name))
                .map(name -> {
                    NewTopic topic = new NewTopic(name, partitions, replication);
                    return hubs.contains(name) ? topic.configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                            String.valueOf(maxRecordBytes))) : topic;
                })
                .collect(Collectors.toList());
        if (!missing.isEmpty()) {
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                // Another replica may have created them between our list and create: that is fine.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            LOG.info("Created topics {}", missing.stream().map(NewTopic::name).sorted().toList());
        }
        return limits(admin, List.copyOf(hubs), maxRecordBytes);
    }

    /**
     * Creates a topic of records kept for {@code retention} when it is missing (with the broker's default otherwise):
     * the audit topic, whose retention is the law's, not the broker's.
     */
    public static void ensureRetained(Admin admin, String topic, int partitions, short replication,
            Duration retention) throws InterruptedException, ExecutionException {
        if (admin.listTopics().names().get().contains(topic)) {
            return;
        }
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, replication).configs(Map.of(
                    TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention.toMillis()))))).all().get();
            LOG.info("Created topic {} (records kept {} days)", topic, retention.toDays());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /**
     * Creates the control topic when it is missing: one partition (its keys are read in order by every replica) and
     * compacted (a key's last value is all that matters).
     */
    public static void ensureControl(Admin admin, short replication) throws InterruptedException, ExecutionException {
        ensureCompacted(admin, FollowedTopic.CONTROL, replication);
    }

    /** Creates the jobs' topic ({@link JobLedger}) when it is missing: like the control topic, one partition, compacted. */
    public static void ensureJobs(Admin admin, short replication) throws InterruptedException, ExecutionException {
        ensureCompacted(admin, JobLedger.TOPIC, replication);
    }

    /**
     * Creates the callbacks' ledger ({@link CallbackLedger}) when it is missing: followed like the control topic, with
     * a partition per bucket of keys, and its records deleted once the providers' retries are over.
     */
    public static void ensureCallbacks(Admin admin, short replication) throws InterruptedException, ExecutionException {
        ensureFollowed(admin, CallbackLedger.TOPIC, CallbackLedger.PARTITIONS, replication, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(CallbackLedger.WINDOW.toMillis()),
                // Segments of an hour, so that what the window has passed is deleted within the hour after it.
                TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(Duration.ofHours(1).toMillis())));
    }

    /**
     * Creates a topic every replica follows ({@link FollowedTopic}) when it is missing: one partition (its keys are
     * read in order), compacted (a key's last value is all that matters).
     */
    public static void ensureCompacted(Admin admin, String topic, short replication)
            throws InterruptedException, ExecutionException {
        ensureFollowed(admin, topic, 1, replication, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    private static void ensureFollowed(Admin admin, String topic, int partitions, short replication,
            Map<String, String> configs) throws InterruptedException, ExecutionException {
        if (admin.listTopics().names().get().contains(topic)) {
            return;
        }
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, replication).configs(configs))).all().get();
            LOG.info("Created topic {} ({})", topic, configs.get(TopicConfig.CLEANUP_POLICY_CONFIG));
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static RecordLimits limits(Admin admin, List<String> topics, int maxRecordBytes)
            throws InterruptedException, ExecutionException {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = describe(admin, resources);
        Map<String, Integer> limits = new HashMap<>();
        configs.forEach((resource, config) -> {
            var entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            int topicLimit = entry == null ? RecordLimits.KAFKA_DEFAULT : Integer.parseInt(entry.value());
            if (topicLimit < maxRecordBytes) {
                LOG.info("Topic {} takes records up to {} bytes (max.message.bytes), less than the hub's limit of {}:"
                        + " larger records to it are dead-lettered in part (docs: dead letters)", resource.name(),
                        topicLimit, maxRecordBytes);
            }
            limits.put(resource.name(), Math.min(topicLimit, maxRecordBytes));
        });
        return new RecordLimits(limits);
    }

    /** A topic just created may take a moment to be known to the broker that answers: asked again for up to 10 s. */
    private static Map<ConfigResource, Config> describe(Admin admin, List<ConfigResource> resources)
            throws InterruptedException, ExecutionException {
        for (int attempt = 1;; attempt++) {
            try {
                return admin.describeConfigs(resources).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt == 50) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }
}
