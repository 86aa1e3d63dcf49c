package io.mphub.deadletter;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import io.mphub.kafka.HeaderValues;
import io.mphub.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts dead letters back where they came from: each matching record of a dead-letter topic goes back to its
 * {@code mphub.source.topic} with its original key, value and headers (so its event id, and the {@code webhook-id} a
 * receiver sees, are the same), marked {@value #REPLAYED_FROM} and {@value #REPLAY_ID}. A destination's dead letters
 * go back to {@code mp.out.<destination>} and are delivered again; ingest's go back to the input topic and pass the
 * contract again.
 * <p>
 * Each request ({@link ReplayRequest#id}) has a consumer group and a transactional id of its own, and writes the
 * records it replays and the group's progress in one Kafka transaction per batch. A run first fences any earlier run
 * of the same request (its open transaction is aborted: the hub's consumers read committed records only, so they
 * never see it), then reads the progress committed, then goes on from there: each dead letter is replayed at most once
 * per request, even when a run is killed, or two run at once. The window of a relative filter ({@code --since 2h}) is
 * kept with the progress, so a run again after one that stopped half-way covers the same dead letters; after one that
 * reached its end, it is resolved anew. A run reads up to the end the topic had when it
 * began, so what it sends back that fails again is not taken up twice.
 */
public final class Replay {

    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);
    public static final String REPLAYED_FROM = "mphub.replayed.from";
    public static final String REPLAY_ID = "mphub.replay.id";
    /** A killed replay's open transaction holds up the hub's readers of its target partitions this long at most. */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);
    /** A run that reads nothing for this long, with records left before its end, gives up (what it did stays). */
    static final Duration NO_PROGRESS = Duration.ofSeconds(60);
    /** Marks the progress of a run that reached its end. */
    private static final String DONE = ";done";

    /**
     * What a run did.
     *
     * @param since    the window it applied (the first run's, for a relative filter), or null
     * @param earlier  records earlier runs of this request had already read (not read again)
     * @param replayed records put back, by target topic (with a dry run: that would be put back)
     * @param skipped  records read and left, by why ({@code other_reason}, {@code before_since}, {@code truncated}, …)
     */
    public record Report(String id, boolean dryRun, String since, String until, long earlier,
            Map<String, Long> replayed, Map<String, Long> skipped) {

        public long replayedCount() {
            return replayed.values().stream().mapToLong(Long::longValue).sum();
        }

        public long skippedCount() {
            return skipped.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final KafkaClients clients;
    private final Function<Map<String, Object>, Producer<String, byte[]>> producers;

    public Replay(KafkaClients clients) {
        this(clients, config -> new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()));
    }

    /** With another producer: tests stop a replay half-way, as a kill would. */
    Replay(KafkaClients clients, Function<Map<String, Object>, Producer<String, byte[]>> producers) {
        this.clients = clients;
        this.producers = producers;
    }

    public Report run(ReplayRequest asked) {
        String group = "mphub.replay." + asked.id();
        Map<String, Long> replayed = new TreeMap<>();
        Map<String, Long> skipped = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(clients.consumer("mphub-replay", group));
                Producer<String, byte[]> producer = asked.dryRun() ? null : producers.apply(transactional(group))) {
            if (producer != null) {
                producer.initTransactions(); // fences an earlier run of this request, aborting what it left open
            }
            List<TopicPartition> partitions = consumer.partitionsFor(asked.topic()).stream()
                    .map(p -> new TopicPartition(asked.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            ReplayRequest request = window(asked, committed);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
            long earlier = 0;
            for (TopicPartition p : partitions) {
                OffsetAndMetadata at = committed.get(p);
                earlier += at == null ? 0 : Math.max(0, at.offset() - starts.get(p));
            }
            String window = window(request);
            long lastProgress = System.nanoTime();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    if (System.nanoTime() - lastProgress > NO_PROGRESS.toNanos()) {
                        throw new IllegalStateException("nothing could be read from " + asked.topic() + " for "
                                + NO_PROGRESS.toSeconds() + " s; what was replayed stays, and this request run again"
                                + " goes on from there");
                    }
                    continue;
                }
                lastProgress = System.nanoTime();
                if (producer != null) {
                    producer.beginTransaction();
                }
                Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
                for (ConsumerRecord<String, byte[]> r : records) {
                    TopicPartition p = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() >= ends.get(p)) {
                        continue; // written after the run began: not this run's
                    }
                    progress.put(p, new OffsetAndMetadata(r.offset() + 1, window));
                    String why = skip(request, r);
                    if (why != null) {
                        skipped.merge(why, 1L, Long::sum);
                        continue;
                    }
                    String target = header(r, DeadLetters.SOURCE_TOPIC);
                    if (producer != null) {
                        producer.send(back(r, target, request.id()));
                    }
                    replayed.merge(target, 1L, Long::sum);
                }
                if (producer != null) {
                    producer.sendOffsetsToTransaction(progress, new ConsumerGroupMetadata(group));
                    producer.commitTransaction();
                }
                // Nothing past a partition's end is this run's: stop fetching it.
                consumer.pause(partitions.stream().filter(p -> consumer.position(p) >= ends.get(p)).toList());
            }
            if (producer != null) {
                // The run reached its end: a later run of the request resolves a relative window anew (its progress
                // still keeps it from replaying anything twice).
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                partitions.forEach(p -> done.put(p, new OffsetAndMetadata(ends.get(p), window + DONE)));
                producer.beginTransaction();
                producer.sendOffsetsToTransaction(done, new ConsumerGroupMetadata(group));
                producer.commitTransaction();
            }
            Report report = new Report(request.id(), request.dryRun(), request.since().map(Instant::toString)
                    .orElse(null), request.until().map(Instant::toString).orElse(null), earlier, replayed, skipped);
            LOG.info("replay {} of {}: {} {} {}, {} skipped {}, {} read by an earlier run", request.id(),
                    request.topic(), report.replayedCount(), request.dryRun() ? "would be put back (dry run)"
                            : "put back", replayed, report.skippedCount(), skipped, earlier);
            return report;
        }
    }

    private Map<String, Object> transactional(String group) {
        return clients.transactionalProducer("mphub-replay", group, TRANSACTION_TIMEOUT);
    }

    /** The window an earlier run of the request kept with its progress, or the request's own on a first run. */
    private static ReplayRequest window(ReplayRequest request, Map<TopicPartition, OffsetAndMetadata> committed) {
        return committed.values().stream().filter(o -> o != null && o.metadata() != null
                        && o.metadata().startsWith("since=") && !o.metadata().endsWith(DONE)).findFirst()
                .map(o -> {
                    String[] parts = o.metadata().split(";", 3);
                    return request.over(instant(parts[0].substring("since=".length())),
                            instant(parts[1].substring("until=".length())));
                }).orElse(request);
    }

    private static String window(ReplayRequest request) {
        return "since=" + request.since().map(Instant::toString).orElse("") + ";until="
                + request.until().map(Instant::toString).orElse("");
    }

    private static Optional<Instant> instant(String text) {
        return text.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(text));
    }

    /** Why a dead letter is not replayed by this request, or null when it is. */
    private static String skip(ReplayRequest request, ConsumerRecord<String, byte[]> r) {
        if (request.reason().isPresent() && !request.reason().get().equals(header(r, DeadLetters.REASON))) {
            return "other_reason";
        }
        Instant at = Instant.ofEpochMilli(r.timestamp());
        if (request.since().isPresent() && at.isBefore(request.since().get())) {
            return "before_since";
        }
        if (request.until().isPresent() && !at.isBefore(request.until().get())) {
            return "after_until";
        }
        if (r.headers().lastHeader(DeadLetterRecord.TRUNCATED) != null) {
            return "truncated"; // only part of the record was kept: sending it back would send something else
        }
        String target = header(r, DeadLetters.SOURCE_TOPIC);
        if (target == null || !request.targets().contains(target)) {
            return "unknown_source";
        }
        return null;
    }

    /** The original record again: its key, value and own headers, without the dead letter's, marked as replayed. */
    private static ProducerRecord<String, byte[]> back(ConsumerRecord<String, byte[]> r, String target, String id) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) {
            if (!DeadLetters.added(h.key())) {
                headers.add(h);
            }
        }
        headers.add(REPLAYED_FROM, HeaderValues.utf8(r.topic() + "/" + r.partition() + "@" + r.offset()));
        headers.add(REPLAY_ID, HeaderValues.utf8(id));
        return new ProducerRecord<>(target, null, r.key(), r.value(), headers);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : HeaderValues.text(h.value());
    }
}
