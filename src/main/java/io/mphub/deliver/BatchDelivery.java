package io.mphub.deliver;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.kafka.BatchOffsets;
import io.mphub.kafka.HeaderValues;
import io.mphub.privacy.Audit;
import io.mphub.privacy.Privacy;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a destination's events in batches (routes/templates/deliver-batch.camel.yaml), at least once per event:
 * <ul>
 * <li>The consumer forms a batch of at most {@code batch.max-events} records, or what came within
 * {@code batch.max-wait-ms}; it is cut here into requests of at most {@code batch.max-bytes}, sent in order (one
 * user's events stay in order). An event larger than its platform takes on its own is dead-lettered at once
 * ({@code too_large}).</li>
 * <li>A failure worth retrying (5xx, timeout, 429/503 with {@code Retry-After}) retries the whole request with
 * the destination's backoff; a destination that keeps failing pauses exactly as with one event per request, and
 * nothing is dead-lettered because its endpoint is down.</li>
 * <li>A refusal because of some of its events (a 400 or 413) splits the request in halves until they are alone:
 * only they are dead-lettered, each with its reason; the others are delivered. Events the platform names itself
 * ({@link BatchOutcome.Named}) are dead-lettered without a split.</li>
 * <li>Offsets are committed once every record of the batch is delivered or dead-lettered; before a pause, up to the
 * first record that is not. A hub killed mid-batch sends the batch again; it never loses it.</li>
 * </ul>
 */
public final class BatchDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(BatchDelivery.class);

    /** A destination that delivers in batches, with what it takes to send to it. */
    public record Target(Destination destination, BatchKind kind, HttpClient http, DestinationHealth health) {
    }

    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    /** The rates of the destinations that have one, each following the partitions this replica owns. */
    private final Map<String, SharedRate> rates = new ConcurrentHashMap<>();
    private final OwnedPartitions owned;
    private final Privacy privacy;
    private final Audit audit;
    private final DeadLetterSink deadLetters;
    private final DeliveryLog log;
    private final Setbacks setbacks;
    private final DeliveryMeters meters;
    private final Clock clock;
    private final Stopping stopping;

    /** @param owned what camel-kafka subscribes its consumers through, so that each rate follows its partitions */
    public BatchDelivery(Privacy privacy, Audit audit, DeadLetterSink deadLetters, Pauser pauser, DeliveryLog log,
            Stopping stopping, RandomGenerator random, Duration maxRetryAfter, MeterRegistry metrics, Clock clock,
            OwnedPartitions owned) {
        this.privacy = privacy;
        this.owned = owned;
        this.audit = audit;
        this.deadLetters = deadLetters;
        this.log = log;
        this.clock = clock;
        this.stopping = stopping;
        this.meters = new DeliveryMeters(metrics, clock);
        this.setbacks = new Setbacks(pauser, stopping, random, maxRetryAfter, meters);
    }

    /** A destination that delivers in batches, before its route starts. */
    public void add(Target target) {
        meters.add(target.destination().name());
        audit.track(target.destination().name(), target.destination().contract().consent());
        targets.put(target.destination().name(), target);
        SharedRate rate = SharedRate.of(target.destination());
        if (rate != null) {
            rates.put(target.destination().name(), rate);
            owned.follow(target.destination().outboxTopic(), rate);
        }
    }

    /** A destination stopped while the hub runs (once its route has stopped). */
    public void remove(String destination) {
        Target gone = targets.remove(destination);
        if (gone != null) {
            owned.unfollow(gone.destination().outboxTopic());
        }
        rates.remove(destination);
        meters.remove(destination);
    }

    /** One batch as the consumer formed it: its records ({@code List<Exchange>}) in the order they were polled. */
    public void deliver(Exchange batch, String destination) {
        batch.setProperty("destination", destination);
        Target target = targets.get(destination);
        if (target == null) {
            throw new IllegalArgumentException("no destination '" + destination + "' delivers in batches");
        }
        @SuppressWarnings("unchecked")
        BatchOffsets.Owned polled = BatchOffsets.owned(batch.getMessage().getBody(List.class));
        Run run = new Run(target, polled);
        try {
            run.deliver();
        } catch (RuntimeException e) {
            // Paused, stopping, or the hub's own Kafka failed: what is finished stays finished; the rest is read again.
            try {
                run.commit();
            } catch (RuntimeException commit) {
                e.addSuppressed(commit);
            }
            throw e;
        }
        run.commit();
    }

    /** One event of the batch being delivered, and what its audit record says. */
    private record Item(int index, BatchEvent event, int size, Audit.Entry audited) {
    }

    /** A record made into an event, or why it cannot be one, or withheld for want of consent, or skipped by its kind. */
    private record Prepared(Item item, UndeliverableException refused, Privacy.Withhold withheld,
            Outcome.Skipped skipped) {
        Prepared(Item item, UndeliverableException refused) {
            this(item, refused, null, null);
        }

        static Prepared refused(String reason, String message) {
            return new Prepared(null, new UndeliverableException(reason, message, 0));
        }
    }

    /** The delivery of one batch: which of its records are finished (delivered or dead-lettered). */
    private final class Run {

        private final Target target;
        private final Destination d;
        private final List<Exchange> records;
        private final BatchOffsets.Owned polled;
        /** Each record's event id and type, read from its headers once. */
        private final String[] ids;
        private final String[] types;
        private final boolean[] finished;
        /** When the batch is formed: its events are judged by the consent recorded before then (one catch-up). */
        private final long formed = Privacy.now();
        /** Events withheld for want of consent, by reason: audited together when the batch is committed. */
        private final Map<String, List<Audit.Entry>> withheld = new TreeMap<>();
        /** Events sent but not taken ("failed:reason", "skipped:reason"): audited when the batch is committed. */
        private final Map<String, List<Audit.Entry>> notTaken = new TreeMap<>();

        Run(Target target, BatchOffsets.Owned polled) {
            this.target = target;
            this.d = target.destination();
            this.polled = polled;
            this.records = polled.records();
            this.ids = new String[records.size()];
            this.types = new String[records.size()];
            this.finished = new boolean[records.size()];
        }

        void deliver() {
            List<Item> request = new ArrayList<>();
            long bytes = 0;
            for (int i = 0; i < records.size(); i++) {
                Prepared prepared = prepare(i);
                if (prepared.withheld() != null) {
                    finished[i] = true;
                    Privacy.Withhold w = prepared.withheld();
                    withheld.computeIfAbsent(w.reason(), r -> new ArrayList<>()).add(new Audit.Entry(ids[i],
                            w.shared()));
                    log.add(new DeliveryLog.Attempt(clock.instant(), d.name(), ids[i], types[i], 0, "withheld",
                            w.reason(), "consent scope " + w.scope(), 0));
                    continue;
                }
                if (prepared.skipped() != null) {
                    finished[i] = true;
                    Outcome.Skipped skip = prepared.skipped();
                    meters.count(d.name(), "skipped", skip.reason(), 1);
                    log.add(new DeliveryLog.Attempt(clock.instant(), d.name(), ids[i], types[i], 0, "skipped",
                            skip.reason(), skip.message(), 0));
                    continue;
                }
                if (prepared.refused() != null) {
                    // Dead-lettered in its place among the others, so a pause commits it only with what came before.
                    if (!request.isEmpty()) {
                        send(request, d.retry().maxAttempts());
                        request = new ArrayList<>();
                        bytes = 0;
                    }
                    deadLetter(i, prepared.refused());
                    continue;
                }
                Item item = prepared.item();
                if (!request.isEmpty() && (request.size() == d.batch().maxEvents()
                        || bytes + item.size() > d.batch().maxBytes())) {
                    send(request, d.retry().maxAttempts());
                    request = new ArrayList<>();
                    bytes = 0;
                }
                request.add(item);
                bytes += item.size();
            }
            if (!request.isEmpty()) {
                send(request, d.retry().maxAttempts());
            }
        }

        /** Audits what was withheld, waits until Kafka has the batch's audit records, then commits its offsets. */
        void commit() {
            withheld.forEach((reason, entries) -> {
                audit.withheld(d.name(), d.contract().consent().orElseThrow(), reason, entries);
                meters.count(d.name(), "withheld", reason, entries.size());
            });
            withheld.clear();
            notTaken.forEach((outcome, entries) -> audit.notTaken(d.name(), d.contract().consent(),
                    outcome.substring(0, outcome.indexOf(':')), outcome.substring(outcome.indexOf(':') + 1), entries));
            notTaken.clear();
            audit.flush();
            BatchOffsets.commit(polled.commits(), i -> finished[i]);
        }

        /** The event of record {@code i}, or why it cannot be sent at all. */
        private Prepared prepare(int i) {
            Exchange record = records.get(i);
            String id = HeaderValues.text(record.getMessage(), "ce_id");
            String type = HeaderValues.text(record.getMessage(), "ce_type");
            ids[i] = id;
            types[i] = type;
            if (id == null || id.isEmpty()) {
                return Prepared.refused(UndeliverableException.INTERNAL, "the record has no ce_id header");
            }
            Privacy.Judged judged;
            BatchKind.Encoded encoded;
            try {
                judged = privacy.judge(d.contract(), record.getMessage().getBody(byte[].class), formed);
                if (judged instanceof Privacy.Withhold w) {
                    return new Prepared(null, null, w, null);
                }
                encoded = target.kind().encode(new BatchEvent(id, type, judged.shared().body()));
            } catch (KafkaException e) {
                throw e; // the consent topic cannot be read: the hub's own failure, the batch is read again
            } catch (RuntimeException e) {
                return Prepared.refused(UndeliverableException.INTERNAL, String.valueOf(e.getMessage()));
            }
            if (encoded.problem() != null) {
                return new Prepared(null, new UndeliverableException(encoded.problem().reason(),
                        encoded.problem().message(), 0));
            }
            if (encoded.skipped() != null) {
                return new Prepared(null, null, null, encoded.skipped());
            }
            // Its bytes and a comma between it and the next.
            int size = encoded.bytes().length + 1;
            if (size > d.batch().maxEventBytes()) {
                return Prepared.refused(UndeliverableException.TOO_LARGE, "event " + id + " is " + size + " bytes as "
                        + d.kind() + " sends it; " + d.name() + " takes at most " + d.batch().maxEventBytes());
            }
            return new Prepared(new Item(i, new BatchEvent(id, type, encoded.bytes()), size,
                    new Audit.Entry(id, judged.shared())), null);
        }

        /**
         * Sends one request's events until each is delivered or dead-lettered; throws when the destination pauses.
         *
         * @param attempts how many it gets before it is split (or, alone, dead-lettered)
         */
        private void send(List<Item> request, int attempts) {
            String what = request.size() == 1 ? "event " + request.get(0).event().id()
                    : "batch of " + request.size() + " events from " + request.get(0).event().id();
            long firstAttempt = System.nanoTime();
            for (int attempt = 1;; attempt++) {
                setbacks.unlessPaused(d, what);
                awaitTurn(what);
                long started = System.nanoTime();
                BatchOutcome outcome = attempt(request, what);
                log(request, attempt, outcome, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                if (outcome instanceof BatchOutcome.Named named) {
                    target.health().succeeded(started);
                    List<Item> others = new ArrayList<>();
                    for (int i = 0; i < request.size(); i++) {
                        Outcome.Permanent refused = named.refused().get(i);
                        if (refused != null) {
                            notTaken(request.get(i), new UndeliverableException(refused.reason(), refused.message(),
                                    attempt));
                        } else {
                            others.add(request.get(i));
                        }
                    }
                    delivered(others);
                    return;
                }
                Outcome all = ((BatchOutcome.All) outcome).outcome();
                if (all instanceof Outcome.Delivered) {
                    target.health().succeeded(started);
                    delivered(request);
                    return;
                }
                if (all instanceof Outcome.Skipped skipped) {
                    target.health().succeeded(started);
                    long so = meters.count(d.name(), "skipped", skipped.reason(), request.size());
                    LOG.info("{} to {} skipped ({}: {}); {} so far", what, d.name(), skipped.reason(),
                            skipped.message(), so);
                    request.forEach(item -> finished[item.index()] = true);
                    notTaken.computeIfAbsent("skipped:" + skipped.reason(), r -> new ArrayList<>())
                            .addAll(request.stream().map(Item::audited).toList());
                    return;
                }
                if (all instanceof Outcome.Permanent refused) {
                    if (request.size() == 1) {
                        notTaken(request.get(0), new UndeliverableException(refused.reason(), refused.message(),
                                attempt));
                    } else {
                        LOG.debug("{} to {} refused ({}): split to find the events it refused", what, d.name(),
                                refused.message());
                        split(request, attempts);
                    }
                    return;
                }
                if (all instanceof Outcome.Refused refused) {
                    throw setbacks.refused(d, refused, what, request.size());
                }
                if (all instanceof Outcome.Wait quota) {
                    attempt--;
                    setbacks.quota(d, quota, what, request.size());
                    continue;
                }
                Outcome.Retry retry = (Outcome.Retry) all;
                Exchange first = records.get(request.get(0).index());
                String recordRef = first.getMessage().getHeader(KafkaConstants.PARTITION) + "@"
                        + first.getMessage().getHeader(KafkaConstants.OFFSET);
                if (!setbacks.retry(d, target.health(), retry, attempt, attempts, firstAttempt, recordRef, what,
                        request.size())) {
                    // Spent while the destination takes other requests: one of these events may be what fails it.
                    // Its halves have had their attempts in it: one each, then split again, so finding it takes
                    // about log2(n) more requests, not log2(n) times the retry policy.
                    if (request.size() > 1) {
                        split(request, 1);
                    } else {
                        notTaken(request.get(0), new UndeliverableException("retries_exhausted", attempt
                                + " attempts, last: " + retry.message(), attempt));
                    }
                    return;
                }
            }
        }

        /** An event sent that the destination did not take: dead-lettered, and audited as sent (it may hold it). */
        private void notTaken(Item item, UndeliverableException why) {
            deadLetter(item.index(), why);
            notTaken.computeIfAbsent("failed:" + why.reason(), r -> new ArrayList<>()).add(item.audited());
        }

        private void split(List<Item> request, int attempts) {
            int half = request.size() / 2;
            send(new ArrayList<>(request.subList(0, half)), attempts);
            send(new ArrayList<>(request.subList(half, request.size())), attempts);
        }

        /** At most the destination's rate (this replica's share of it) requests a second, each attempt counted. */
        private void awaitTurn(String what) {
            SharedRate rate = rates.get(d.name());
            if (rate != null && !rate.acquire(stopping)) {
                throw new DestinationPausedException("hub stopping; " + what + " to " + d.name() + " waits");
            }
        }

        private BatchOutcome attempt(List<Item> request, String what) {
            try {
                return target.kind().attempt(target.http(), request.stream().map(Item::event).toList());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DestinationPausedException("interrupted; " + what + " waits");
            }
        }

        private void delivered(List<Item> items) {
            meters.count(d.name(), "delivered", "ok", items.size());
            if (!items.isEmpty()) {
                audit.delivered(d.name(), d.contract().consent(), items.stream().map(Item::audited).toList());
            }
            for (Item item : items) {
                meters.delivered(d.name(), records.get(item.index()).getMessage().getHeader(KafkaConstants.TIMESTAMP,
                        Long.class));
                finished[item.index()] = true;
            }
        }

        private void deadLetter(int index, UndeliverableException why) {
            deadLetters.deadLetter(records.get(index), d.name(), why);
            finished[index] = true;
        }

        /** What the platform's answer naming refused events means for the one at {@code index}. */
        private static Outcome named(BatchOutcome.Named named, int index) {
            Outcome.Permanent refused = named.refused().get(index);
            return refused != null ? refused : new Outcome.Delivered(named.status());
        }

        /** One entry per event in the delivery log: an operator looks an event up by its id. */
        private void log(List<Item> request, int attempt, BatchOutcome outcome, long millis) {
            Instant at = clock.instant();
            // The log keeps the last perDestination() entries: older ones of a large request would go at once.
            for (int i = Math.max(0, request.size() - log.perDestination()); i < request.size(); i++) {
                Outcome o = outcome instanceof BatchOutcome.All all ? all.outcome() : named((BatchOutcome.Named) outcome, i);
                BatchEvent event = request.get(i).event();
                log.add(new DeliveryLog.Attempt(at, d.name(), event.id(), event.type(), attempt, o.name(), o.reason(),
                        o.message(), millis));
            }
        }
    }
}
