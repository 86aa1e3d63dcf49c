package io.mphub.deadletter;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mphub.deliver.Destination;
import io.mphub.kafka.HeaderValues;
import io.mphub.kafka.KafkaClients;
import io.mphub.sign.Digests;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
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
 * Each replay request has a consumer group of its own on the dead-letter topic, and writes the records it replays and
 * the group's progress in one Kafka transaction. A replay killed half-way leaves nothing of its last batch (the hub's
 * consumers read committed records only), and the same request run again goes on from where its last batch ended:
 * each dead letter is replayed at most once per request. The request reads up to the end the topic had when it began,
 * so the records it sends back that fail again are not taken up twice.
 */
public final class Replay {

    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);
    private static final Pattern AGO = Pattern.compile("(\\d+)([smhd])");
    public static final String REPLAYED_FROM = "mphub.replayed.from";
    public static final String REPLAY_ID = "mphub.replay.id";
    /** A killed replay's open transaction holds up the hub's readers of its target topics this long at most. */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);

    /**
     * What to replay.
     *
     * @param topic        the dead-letter topic ({@code mp.dlq.<destination>} or {@code mp.dlq.ingest})
     * @param targets      the topics its records may go back to (a record from elsewhere is skipped)
     * @param reason       only dead letters with this {@code mphub.error.reason}
     * @param since        only dead letters written at or after it
     * @param until        only dead letters written before it
     */
    public record Request(String topic, Set<String> targets, Optional<String> reason, Optional<Instant> since,
            Optional<Instant> until, boolean dryRun) {

        /** Whether it names something a dead letter must match (a filter that matched nothing is an error). */
        public boolean filters() {
            return reason.isPresent() || since.isPresent() || until.isPresent();
        }

        /**
         * The request's id: the same for the same topic and filters, so a request run again (after it was killed)
         * goes on where it stopped. Its consumer group is {@code mphub.replay.<id>}.
         */
        public String id() {
            String filters = topic + "|" + reason.orElse("") + "|" + since.map(Instant::toString).orElse("") + "|"
                    + until.map(Instant::toString).orElse("");
            return topic.replace("mp.dlq.", "") + "-" + Digests.sha256Hex(filters).substring(0, 12);
        }
    }

    /**
     * What a request did.
     *
     * @param earlier  records this request had already read in an earlier run (not read again)
     * @param replayed records put back, by target topic (with a dry run: that would be put back)
     * @param skipped  records read and left, by why ({@code reason}, {@code before_since}, {@code truncated}, …)
     */
    public record Report(String id, boolean dryRun, long earlier, Map<String, Long> replayed,
            Map<String, Long> skipped) {

        public long replayedCount() {
            return replayed.values().stream().mapToLong(Long::longValue).sum();
        }

        public long skippedCount() {
            return skipped.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * A request in an operator's words.
     *
     * @param destination whose dead letters; null for ingest's ({@code mp.dlq.ingest}, back to {@code inputs})
     * @param inputs      ingest's input topics
     * @param reason      a {@code mphub.error.reason}, or null for any
     * @param since       a time ({@link #time}), or null
     * @param until       a time ({@link #time}), or null
     * @throws IllegalArgumentException naming what is wrong with a time
     */
    public static Request request(String destination, Collection<String> inputs, String reason, String since,
            String until, boolean dryRun, Instant now) {
        return new Request(destination == null ? DeadLetters.INGEST_TOPIC : Destination.deadLetterTopic(destination),
                destination == null ? Set.copyOf(inputs) : Set.of(Destination.outboxTopic(destination)),
                blank(reason) ? Optional.empty() : Optional.of(reason.trim()),
                blank(since) ? Optional.empty() : Optional.of(time(since, now)),
                blank(until) ? Optional.empty() : Optional.of(time(until, now)), dryRun);
    }

    /**
     * A time as an operator writes it: an instant ({@code 2026-11-29T08:00:00Z}), a date-time with its offset
     * ({@code 2026-11-29T16:00+08:00}), a date (its start, UTC), or a while ago ({@code 90m}, {@code 2h}, {@code 3d}).
     */
    public static Instant time(String text, Instant now) {
        String t = text.trim();
        Matcher ago = AGO.matcher(t);
        if (ago.matches()) {
            long n = Long.parseLong(ago.group(1));
            return now.minus(switch (ago.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            try {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw new IllegalArgumentException("'" + t + "' is not a time: write 2026-11-29T08:00:00Z,"
                        + " 2026-11-29T16:00+08:00, 2026-11-29 (UTC) or a while ago such as 90m, 2h, 3d");
            }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
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

    public Report run(Request request) {
        String group = "mphub.replay." + request.id();
        Map<String, Long> replayed = new TreeMap<>();
        Map<String, Long> skipped = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(clients.consumer("mphub-replay", group));
                Producer<String, byte[]> producer = request.dryRun() ? null : producers.apply(transactional(group))) {
            List<TopicPartition> partitions = consumer.partitionsFor(request.topic()).stream()
                    .map(p -> new TopicPartition(request.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
            long earlier = 0;
            for (TopicPartition p : partitions) {
                earlier += consumer.position(p) - starts.get(p);
            }
            if (producer != null) {
                producer.initTransactions(); // also ends what a killed run of this request left open
            }
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                if (producer != null) {
                    producer.beginTransaction();
                }
                Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
                for (ConsumerRecord<String, byte[]> r : records) {
                    TopicPartition p = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() >= ends.get(p)) {
                        continue; // written after the request began: not this request's
                    }
                    progress.put(p, new OffsetAndMetadata(r.offset() + 1));
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
            }
            Report report = new Report(request.id(), request.dryRun(), earlier, replayed, skipped);
            LOG.info("replay {} of {}: {} {} {}, {} skipped {}, {} read by an earlier run", request.id(),
                    request.topic(), report.replayedCount(), request.dryRun() ? "would be put back (dry run)"
                            : "put back", replayed, report.skippedCount(), skipped, earlier);
            return report;
        }
    }

    private Map<String, Object> transactional(String group) {
        Map<String, Object> config = clients.producer("mphub-replay");
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, group);
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TRANSACTION_TIMEOUT.toMillis());
        return config;
    }

    /** Why a dead letter is not replayed by this request, or null when it is. */
    private static String skip(Request request, ConsumerRecord<String, byte[]> r) {
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
