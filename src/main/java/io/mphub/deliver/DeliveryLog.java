package io.mphub.deliver;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

/**
 * The last delivery attempts of each destination, in this replica's memory: at most {@code perDestination} each, the
 * oldest dropped first. What an operator needs to see what a receiver answered, and nothing a receiver was sent: no
 * bodies, no personal values, only the event's id and type and how the attempt went.
 */
public final class DeliveryLog {

    /** Outcomes as the log names them: one per {@link Outcome} type ({@link Outcome#name}). */
    public static final List<String> OUTCOMES = List.of("delivered", "retry", "permanent", "skipped", "wait", "refused");

    /**
     * One attempt.
     *
     * @param answer  what the receiver answered, as its classifier said it ({@code HTTP 503}, an errcode, a network
     *                failure's class)
     * @param outcome one of {@link #OUTCOMES}
     */
    public record Attempt(@JsonSerialize(using = ToStringSerializer.class) Instant at, String destination, String eventId, String type, int attempt, String outcome,
            String reason, String answer, long latencyMillis) {

        public boolean failed() {
            return outcome.equals("retry") || outcome.equals("permanent") || outcome.equals("refused");
        }
    }

    private final int perDestination;
    private final Map<String, Deque<Attempt>> attempts = new ConcurrentHashMap<>();

    public DeliveryLog(int perDestination) {
        this.perDestination = perDestination;
    }

    public int perDestination() {
        return perDestination;
    }

    void add(Attempt attempt) {
        Deque<Attempt> log = attempts.computeIfAbsent(attempt.destination(), d -> new ArrayDeque<>(perDestination));
        synchronized (log) {
            if (log.size() == perDestination) {
                log.removeFirst();
            }
            log.addLast(attempt);
        }
    }

    /** The attempts that match, newest first, at most {@code limit}. */
    public List<Attempt> recent(Optional<String> destination, Predicate<Attempt> matching, int limit) {
        List<Attempt> found = new ArrayList<>();
        attempts.forEach((name, log) -> {
            if (destination.isEmpty() || destination.get().equals(name)) {
                synchronized (log) {
                    log.stream().filter(matching).forEach(found::add);
                }
            }
        });
        found.sort((a, b) -> b.at().compareTo(a.at()));
        return found.size() > limit ? List.copyOf(found.subList(0, limit)) : found;
    }

    /** The destination's last failed attempt this replica still holds. */
    public Optional<Attempt> lastFailure(String destination) {
        Deque<Attempt> log = attempts.get(destination);
        if (log == null) {
            return Optional.empty();
        }
        synchronized (log) {
            var newestFirst = log.descendingIterator();
            while (newestFirst.hasNext()) {
                Attempt a = newestFirst.next();
                if (a.failed()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
