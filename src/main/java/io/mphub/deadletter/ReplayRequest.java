package io.mphub.deadletter;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mphub.deliver.Destination;
import io.mphub.sign.Digests;

/**
 * What to replay: a dead-letter topic, where its records may go back to, and the filters.
 *
 * @param topic   the dead-letter topic ({@code mp.dlq.<destination>} or {@code mp.dlq.ingest})
 * @param targets the topics its records may go back to (a record from elsewhere is skipped)
 * @param reason  only dead letters with this {@code mphub.error.reason}
 * @param since   only dead letters written at or after it
 * @param until   only dead letters written before it
 * @param written the filters as the operator wrote them ({@code 2h} stays {@code 2h}): what names the request
 */
public record ReplayRequest(String topic, Set<String> targets, Optional<String> reason, Optional<Instant> since,
        Optional<Instant> until, boolean dryRun, String written) {

    private static final Pattern AGO = Pattern.compile("(\\d+)([smhd])");

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
    public static ReplayRequest of(String destination, Collection<String> inputs, String reason, String since,
            String until, boolean dryRun, Instant now) {
        return new ReplayRequest(destination == null ? DeadLetters.INGEST_TOPIC
                : Destination.deadLetterTopic(destination),
                destination == null ? Set.copyOf(inputs) : Set.of(Destination.outboxTopic(destination)),
                blank(reason) ? Optional.empty() : Optional.of(reason.trim()),
                blank(since) ? Optional.empty() : Optional.of(time(since, now)),
                blank(until) ? Optional.empty() : Optional.of(time(until, now)), dryRun,
                "reason=" + text(reason) + " since=" + text(since) + " until=" + text(until));
    }

    /** Whether it names something a dead letter must match (a filter that matched nothing is an error). */
    public boolean filters() {
        return reason.isPresent() || since.isPresent() || until.isPresent();
    }

    /**
     * The request's id: the same for the same topic and the same filters as written, so a request run again (after
     * it was killed) goes on where it stopped, over the same window ({@link Replay} keeps the times a relative filter
     * first resolved to). Its consumer group and transactional id are {@code mphub.replay.<id>}.
     */
    public String id() {
        return topic.replace("mp.dlq.", "") + "-" + Digests.sha256Hex(topic + "|" + written).substring(0, 12);
    }

    /** The same request over another window: the one its first run resolved. */
    ReplayRequest over(Optional<Instant> since, Optional<Instant> until) {
        return new ReplayRequest(topic, targets, reason, since, until, dryRun, written);
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

    private static String text(String s) {
        return blank(s) ? "" : s.trim();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
