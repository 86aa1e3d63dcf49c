package io.mphub.privacy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.kafka.Outbox;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The record of what personal data went to which third party (PIPL Art. 55–56) on {@value #TOPIC}: a record per batch
 * request (up to 1,000 events) or per commit of a destination's consumer ({@link #deliveredLater}), per outcome. A
 * record names the destination, the event ids, the user each concerns as a reference under the audit key (never the
 * real openid), the pseudonym the destination knows the user by when it got one, the names (never the values) of the
 * personal fields sent and the consent scope relied on. Records are sent with the delivery's offsets: the offsets are committed only once Kafka has
 * them (the caller flushes the outbox first), so a delivery is never without its record.
 * <pre>
 * {"at": "2026-11-29T10:00:00Z", "destination": "analytics", "outcome": "delivered", "scope": "analytics",
 *  "events": [{"id": "e1", "user": "3f1c…", "sentAs": "9a0b…", "fields": ["subject:pseudonymized", "data.ip:coarsened"]}]}
 * </pre>
 */
public final class Audit {

    public static final String TOPIC = "mp.audit";
    /** Why an event was withheld: the user withdrew the scope. */
    public static final String WITHDRAWN = "withdrawn";
    /** Why an event was withheld: the user has no consent record, and the destination withholds then. */
    public static final String NO_CONSENT = "no_consent";
    private static final String WITHHELD = "mphub.privacy.withheld";
    private static final String SHARED = "mphub.privacy.fields.shared";
    static final int MAX_EVENTS_PER_RECORD = 1000;
    private static final byte[] NO_BODY = new byte[0];

    /** One event of an audit record. */
    public record Entry(String eventId, DataContract.Shared shared) {
    }

    private final Consumer<ProducerRecord<String, byte[]>> send;
    private final Runnable flush;
    private final Pseudonyms users;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** The counters of personal fields sent, by destination and field: looked up per event, without building a key. */
    private final Map<String, Map<String, Counter>> shared = new ConcurrentHashMap<>();
    /** What each destination holds until its next {@link #flush(String)}, by record. */
    private final Map<String, Map<Held, List<Entry>>> held = new ConcurrentHashMap<>();

    /** What one held audit record is about. */
    private record Held(String outcome, String reason, Optional<String> scope) {
    }

    /** Records written through the hub's outbox, each thread's waited for before its offsets are committed. */
    public Audit(Outbox outbox, Pseudonyms users, ObjectMapper mapper, Clock clock, MeterRegistry metrics) {
        this(outbox::send, outbox::flushPending, users, mapper, clock, metrics);
    }

    /**
     * @param send  sends a record without waiting
     * @param flush waits until Kafka has every record this thread sent
     * @param users the audit key's references ({@code mphub.privacy.audit-key})
     */
    public Audit(Consumer<ProducerRecord<String, byte[]>> send, Runnable flush, Pseudonyms users, ObjectMapper mapper,
            Clock clock, MeterRegistry metrics) {
        this.send = send;
        this.flush = flush;
        this.users = users;
        this.mapper = mapper;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The reference of a user on the audit topic: what the audit command computes to find them. */
    public static String userReference(Pseudonyms users, String appId, String openId) {
        return users.of(appId + "/" + openId);
    }

    /** A destination's withheld counters, registered before its first event (a dashboard sees them at 0). */
    public void track(String destination, Optional<String> scope) {
        scope.ifPresent(sc -> List.of(WITHDRAWN, NO_CONSENT).forEach(reason -> counters.computeIfAbsent(
                WITHHELD + '|' + destination + '|' + sc + '|' + reason, k -> withheldCounter(destination, sc, reason))));
    }

    /** Events that reached a destination (sent and taken). */
    public void delivered(String destination, Optional<String> scope, List<Entry> events) {
        count(destination, events);
        write(destination, "delivered", null, scope, events);
    }

    private void count(String destination, List<Entry> events) {
        Map<String, Counter> its = shared.computeIfAbsent(destination, d -> new ConcurrentHashMap<>());
        for (Entry e : events) {
            for (String field : e.shared().fields()) {
                its.computeIfAbsent(field, f -> sharedCounter(destination, f)).increment();
            }
        }
    }

    /** The counter of a field as {@link DataContract.Shared#fields()} names it: {@code path} or {@code path:done}. */
    private Counter sharedCounter(String destination, String field) {
        int colon = field.indexOf(':');
        return Counter.builder(SHARED)
                .description("personal fields sent to a destination, by field and by what was done to them")
                .tag("destination", destination).tag("field", colon < 0 ? field : field.substring(0, colon))
                .tag("as", colon < 0 ? "plain" : field.substring(colon + 1)).register(metrics);
    }

    /** Events not sent to a destination because the user has not granted its scope ({@code reason}). */
    public void withheld(String destination, String scope, String reason, List<Entry> events) {
        counters.computeIfAbsent(WITHHELD + '|' + destination + '|' + scope + '|' + reason,
                k -> withheldCounter(destination, scope, reason)).increment(events.size());
        write(destination, "withheld", reason, Optional.of(scope), events);
    }

    /**
     * Holds the record of one event delivered, to be written with the others its destination delivers before its next
     * {@link #flush(String)}: one audit record per commit, rather than one per event.
     */
    public void deliveredLater(String destination, Optional<String> scope, Entry event) {
        count(destination, List.of(event));
        hold(destination, new Held("delivered", null, scope), event);
    }

    private void hold(String destination, Held what, Entry event) {
        // Held without the event's body: the record names fields, never values.
        DataContract.Shared s = event.shared();
        Entry slim = new Entry(event.eventId(), new DataContract.Shared(NO_BODY, s.appId(), s.user(), s.sentAs(),
                s.fields()));
        Map<Held, List<Entry>> its = held.computeIfAbsent(destination, d -> new LinkedHashMap<>());
        synchronized (its) {
            its.computeIfAbsent(what, k -> new ArrayList<>()).add(slim);
        }
    }

    /**
     * Events sent that the destination did not take: {@code failed} (dead-lettered: refused, too large, retries
     * spent) or {@code skipped} (answered as not to be sent, e.g. a user who declined a subscribe message). The third
     * party may hold their data all the same.
     */
    public void notTaken(String destination, Optional<String> scope, String outcome, String reason,
            List<Entry> events) {
        count(destination, events);
        write(destination, outcome, reason, scope, events);
    }

    /** Holds the record of one event sent and not taken, like {@link #deliveredLater}. */
    public void notTakenLater(String destination, Optional<String> scope, String outcome, String reason,
            Entry event) {
        count(destination, List.of(event));
        hold(destination, new Held(outcome, reason, scope), event);
    }

    /** Holds the record of one event withheld, like {@link #deliveredLater}. */
    public void withheldLater(String destination, String scope, String reason, Entry event) {
        counters.computeIfAbsent(WITHHELD + '|' + destination + '|' + scope + '|' + reason,
                k -> withheldCounter(destination, scope, reason)).increment();
        hold(destination, new Held("withheld", reason, Optional.of(scope)), event);
    }

    /**
     * Writes what a destination holds, and waits until Kafka has every audit record this thread wrote: before the
     * offsets of their events are committed. Those events' workers hold their records before they finish, so what the
     * offsets cover is written.
     */
    public void flush(String destination) {
        Map<Held, List<Entry>> its = held.get(destination);
        if (its != null) {
            Map<Held, List<Entry>> taken;
            synchronized (its) {
                taken = new LinkedHashMap<>(its);
                its.clear();
            }
            try {
                taken.forEach((h, events) -> write(destination, h.outcome(), h.reason(), h.scope(), events));
                flush();
            } catch (RuntimeException e) {
                // Held again, before what was held since: the next flush writes them (a repeat at worst).
                synchronized (its) {
                    Map<Held, List<Entry>> since = new LinkedHashMap<>(its);
                    its.clear();
                    its.putAll(taken);
                    since.forEach((h, events) -> its.computeIfAbsent(h, k -> new ArrayList<>()).addAll(events));
                }
                throw e;
            }
            return;
        }
        flush();
    }

    /** Waits until Kafka has every audit record this thread wrote. */
    public void flush() {
        flush.run();
    }

    private void write(String destination, String outcome, String reason, Optional<String> scope,
            List<Entry> events) {
        // A batch of thousands stays within a record's limit (about 1 MB): at most ~500 bytes an event, 1,000 a record.
        for (int from = 0; from < events.size(); from += MAX_EVENTS_PER_RECORD) {
            writeOne(destination, outcome, reason, scope, events.subList(from, Math.min(events.size(),
                    from + MAX_EVENTS_PER_RECORD)));
        }
    }

    private void writeOne(String destination, String outcome, String reason, Optional<String> scope,
            List<Entry> events) {
        // Written as it goes (no tree of nodes first): one record per commit of a busy destination holds hundreds.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + 160 * events.size());
        String firstUser = null;
        try (JsonGenerator json = mapper.getFactory().createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("at", clock.instant().toString());
            json.writeStringField("destination", destination);
            json.writeStringField("outcome", outcome);
            if (reason != null) {
                json.writeStringField("reason", reason);
            }
            json.writeStringField("scope", scope.orElse(null));
            json.writeArrayFieldStart("events");
            for (Entry e : events) {
                DataContract.Shared s = e.shared();
                json.writeStartObject();
                json.writeStringField("id", e.eventId());
                if (!s.user().isEmpty()) {
                    String user = userReference(users, s.appId(), s.user());
                    firstUser = firstUser == null ? user : firstUser;
                    json.writeStringField("user", user);
                    if (!s.sentAs().equals(s.user())) {
                        json.writeStringField("sentAs", s.sentAs());
                    }
                }
                json.writeArrayFieldStart("fields");
                for (String field : s.fields()) {
                    json.writeString(field);
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String key = events.size() == 1 && firstUser != null ? firstUser : destination;
        send.accept(new ProducerRecord<>(TOPIC, key, bytes.toByteArray()));
    }

    private Counter withheldCounter(String destination, String scope, String reason) {
        return Counter.builder(WITHHELD).description("events not sent to a destination for want of the user's consent")
                .tag("destination", destination).tag("scope", scope).tag("reason", reason).register(metrics);
    }
}
