package io.mphub.privacy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What the audit topic says about one user: every delivery and every withholding of an event of theirs, read from the
 * whole of {@value Audit#TOPIC}, found by the user's reference under the audit key (no real openid is on the topic).
 */
public final class AuditTrail {

    /** One audit record's part about the user: when, where, what happened to which of their events, with which fields. */
    public record Line(Instant at, String destination, String outcome, String reason, String scope, List<String> events,
            String sentAs, List<String> fields) {
    }

    private AuditTrail() {
    }

    /**
     * @param user the user's reference ({@link Audit#userReference})
     * @return the user's lines between {@code since} and {@code until} (either may be null), oldest first
     */
    public static List<Line> of(KafkaClients clients, String user, Instant since, Instant until, Duration timeout) {
        ObjectMapper mapper = new ObjectMapper();
        List<Line> lines = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(clients.consumer("mphub-audit", null))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Audit.TOPIC, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos() * 10;
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), timeout) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new org.apache.kafka.common.errors.TimeoutException(Audit.TOPIC + " could not be read to its"
                            + " end in " + timeout.multipliedBy(10).toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    line(mapper, r.value(), user, since, until).ifPresent(lines::add);
                }
            }
        }
        lines.sort((a, b) -> a.at().compareTo(b.at()));
        return lines;
    }

    private static Optional<Line> line(ObjectMapper mapper, byte[] value, String user, Instant since,
            Instant until) {
        JsonNode record;
        try {
            record = mapper.readTree(value);
        } catch (IOException e) {
            return Optional.empty();
        }
        Instant at;
        try {
            at = Instant.parse(record.path("at").asText());
        } catch (RuntimeException e) {
            return Optional.empty(); // not an audit record of the hub's
        }
        if (since != null && at.isBefore(since) || until != null && !at.isBefore(until)) {
            return Optional.empty();
        }
        List<String> events = new ArrayList<>();
        TreeSet<String> fields = new TreeSet<>();
        String sentAs = null;
        for (JsonNode e : record.path("events")) {
            if (user.equals(e.path("user").asText())) {
                events.add(e.path("id").asText());
                e.path("fields").forEach(f -> fields.add(f.asText()));
                sentAs = e.path("sentAs").asText(null);
            }
        }
        if (events.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Line(at, record.path("destination").asText(), record.path("outcome").asText(),
                record.path("reason").asText(null), record.path("scope").asText(null), events, sentAs,
                List.copyOf(fields)));
    }
}
