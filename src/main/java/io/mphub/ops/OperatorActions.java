package io.mphub.ops;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.deadletter.Replay;
import io.mphub.deadletter.ReplayRequest;
import io.mphub.deliver.Pauser;
import io.mphub.kafka.FollowedTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator can do to the hub: pause a destination by hand and resume it, and replay dead letters. A pause is
 * kept in the control topic, so every replica obeys it and it outlasts a restart ({@link #changed} applies each one
 * this replica reads); replays run one at a time, in the background.
 */
public final class OperatorActions implements FollowedTopic.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorActions.class);
    private static final String PAUSE = "pause/";
    /** The replays this replica remembers, newest kept. */
    private static final int KEPT_RUNS = 50;

    /**
     * A replay started from the console, and how it went.
     *
     * @param state {@code running}, {@code done} or {@code failed} (then {@code error} says why)
     */
    public record ReplayRun(String id, String topic, String reason, String since, String until, boolean dryRun,
            String by, String startedAt, String state, Replay.Report report, String error) {

        ReplayRun(String id, ReplayRequest r, String by, String startedAt) {
            this(id, r.topic(), r.reason().orElse(null), r.since().map(Object::toString).orElse(null),
                    r.until().map(Object::toString).orElse(null), r.dryRun(), by, startedAt, "running", null, null);
        }

        ReplayRun ended(Replay.Report report, String error) {
            return new ReplayRun(id, topic, reason, since, until, dryRun, by, startedAt, error == null ? "done"
                    : "failed", report, error);
        }
    }

    private final Pauser pauser;
    private final Set<String> destinations = ConcurrentHashMap.newKeySet();
    /** The pauses the control topic holds, by destination: one this replica does not have yet applies when it starts. */
    private final Map<String, byte[]> pauses = new ConcurrentHashMap<>();
    private final Replay replay;
    private final ExecutorService replays;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final List<ReplayRun> runs = new ArrayList<>();
    private final AtomicInteger started = new AtomicInteger();
    private volatile FollowedTopic control;

    public OperatorActions(Pauser pauser, Set<String> destinations, Replay replay, ExecutorService replays,
            ObjectMapper mapper, Clock clock) {
        this.pauser = pauser;
        this.destinations.addAll(destinations);
        this.replay = replay;
        this.replays = replays;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** The control topic this replica follows, once it is read: pauses and resumes are published there. */
    public void publishTo(FollowedTopic control) {
        this.control = control;
    }

    public boolean knows(String destination) {
        return destinations.contains(destination);
    }

    /** A destination started while the hub runs: paused at once if an operator had paused it (before its route starts). */
    public synchronized void add(String destination) {
        destinations.add(destination);
        byte[] pause = pauses.get(destination);
        if (pause != null) {
            hold(destination, pause);
        }
    }

    /** A destination stopped while the hub runs. */
    public synchronized void remove(String destination) {
        destinations.remove(destination);
    }

    /** Pauses a destination on every replica, until an operator resumes it; returns once it applies here. */
    public void pause(String destination, String why, String by) throws IOException {
        LOG.info("destination {}: pause asked by {}: {}", destination, by, why);
        publish(PAUSE + destination, mapper.writeValueAsBytes(mapper.createObjectNode().put("why", why)
                .put("by", by).put("at", clock.instant().toString())));
    }

    /** Ends an operator's pause on every replica; returns once it applies here. */
    public void resume(String destination, String by) throws IOException {
        LOG.info("destination {}: resume asked by {}", destination, by);
        publish(PAUSE + destination, null);
    }

    private void publish(String key, byte[] value) throws IOException {
        try {
            control.publish(key, value);
        } catch (FollowedTopic.NotYetApplied e) {
            throw new IOException(e.getMessage(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("Kafka did not take it (" + e.getMessage() + "); nothing changed, try again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** A pause or resume read from the control topic, this replica's own included: the only place one applies. */
    @Override
    public synchronized void changed(String key, byte[] value) {
        if (!key.startsWith(PAUSE)) {
            return;
        }
        String destination = key.substring(PAUSE.length());
        if (value == null) {
            pauses.remove(destination);
        } else {
            pauses.put(destination, value);
        }
        if (value == null) {
            pauser.release(destination, "an operator");
        } else if (destinations.contains(destination)) {
            hold(destination, value);
        } // else a destination this replica does not have (yet): held when it starts
    }

    private void hold(String destination, byte[] value) {
        try {
            JsonNode pause = mapper.readTree(value);
            pauser.hold(destination, pause.path("why").asText() + " (" + pause.path("by").asText() + ")",
                    Instant.parse(pause.path("at").asText()));
        } catch (IOException | RuntimeException e) {
            // Unreadable: pausing is the safe side (nothing is dead-lettered while paused); an operator resumes it.
            pauser.hold(destination, "an unreadable pause in " + FollowedTopic.CONTROL, clock.instant());
        }
    }

    /** Starts a replay in the background; its progress shows in {@link #replays()}. */
    public synchronized String replay(ReplayRequest request, String by) {
        String id = request.id() + (request.dryRun() ? "-dry" : "") + "-" + started.incrementAndGet();
        String startedAt = clock.instant().toString();
        ReplayRun run = new ReplayRun(id, request, by, startedAt);
        runs.add(run);
        LOG.info("replay {} of {} started by {}", id, request.topic(), by);
        replays.submit(() -> {
            try {
                finish(run.ended(replay.run(request), null));
            } catch (RuntimeException e) {
                LOG.error("replay {} of {} failed: {}", id, request.topic(), e.toString());
                finish(run.ended(null, e.toString()));
            }
        });
        return id;
    }

    private synchronized void finish(ReplayRun run) {
        runs.replaceAll(r -> r.id().equals(run.id()) ? run : r);
        while (runs.size() > KEPT_RUNS && !runs.get(0).state().equals("running")) {
            runs.remove(0);
        }
    }

    /** The replays started since this replica started, newest first. */
    public synchronized List<ReplayRun> replays() {
        List<ReplayRun> newestFirst = new ArrayList<>(runs);
        Collections.reverse(newestFirst);
        return newestFirst;
    }
}
