package io.mphub.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mphub.testing.WebhookVerifier;

/**
 * The receiving end of every scenario: a JDK HttpServer on a small fixed pool (the JVM must run with
 * {@code -Dsun.net.httpserver.nodelay=true}, or Nagle caps it at a few dozen requests per second). One path per
 * destination, each with its own secret. Every request's Standard Webhooks signature is checked with the tests'
 * own verifier (written from the spec, no code shared with the hub), distinct event ids are counted per path (each
 * event of a CloudEvents batch by its own id), and latency is now minus the send time the event carries.
 */
final class Sink implements AutoCloseable {

    private static final byte[] SENT_KEY =
            ("\"" + BenchEvents.SENT_ATTRIBUTE + "\":").getBytes(StandardCharsets.US_ASCII);
    /** A structured event's own id; no data field of the benchmark's events is called {@code id}. */
    private static final byte[] ID_KEY = "\"id\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final String BATCH = "application/cloudevents-batch+json";

    private static final byte[] SUBJECT_KEY = "\"subject\":\"".getBytes(StandardCharsets.US_ASCII);

    private final HttpServer server;
    private final ExecutorService threads;
    /** Answers the paths that answer late, without holding a thread of the server. */
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sink-later");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, WebhookVerifier> verifiers = new ConcurrentHashMap<>();
    private final Map<String, Long> delays = new ConcurrentHashMap<>();
    private volatile Run run;

    private Sink(int threadCount) throws IOException {
        if (!Boolean.getBoolean("sun.net.httpserver.nodelay")) {
            throw new IllegalStateException("run the benchmark JVM with -Dsun.net.httpserver.nodelay=true");
        }
        threads = Executors.newFixedThreadPool(threadCount, r -> {
            Thread t = new Thread(r, "sink");
            t.setDaemon(true);
            return t;
        });
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    static Sink start(int threadCount) throws IOException {
        return new Sink(threadCount);
    }

    /** Registers a destination path with a fresh secret; returns the secret for the sender. */
    String register(String path) {
        return register(path, Duration.ZERO);
    }

    /**
     * A path that answers {@code delay} after a request arrived, as a third party across the internet does: the
     * request stays open meanwhile, and no server thread waits for it.
     */
    String register(String path, Duration delay) {
        String secret = WebhookVerifier.newSecret();
        verifiers.put(path, new WebhookVerifier(secret));
        delays.put(path, delay.toMillis());
        return secret;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /**
     * Starts counting a new phase: only ids starting with {@code tag} and arriving on one of {@code paths} count;
     * anything else is stale or unexpected.
     *
     * @param ordered whether each user's events are produced in order on one topic, so must arrive in order
     */
    Run begin(String tag, Set<String> paths, boolean ordered) {
        Run r = new Run(tag, paths, ordered);
        run = r;
        return r;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        long nowMicros = BenchEvents.nowMicros();
        long nowNanos = System.nanoTime();
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            return;
        }
        var headers = exchange.getRequestHeaders();
        String path = exchange.getRequestURI().getPath();
        String id = headers.getFirst("webhook-id");
        String type = headers.getFirst("content-type");
        boolean batch = BATCH.equals(type);
        WebhookVerifier verifier = verifiers.get(path);
        boolean good = verifier != null && (batch || "application/cloudevents+json".equals(type))
                && verifier.verify(id, headers.getFirst("webhook-timestamp"), headers.getFirst("webhook-signature"),
                        body, Instant.now().getEpochSecond());
        Run current = run;
        if (current != null) {
            current.open();
            count(current, path, id, good, batch, body, nowMicros, nowNanos);
        }
        // Answered once the arrival is counted, so that the user's next event cannot be counted before it.
        long delay = delays.getOrDefault(path, 0L);
        if (delay > 0) {
            later.schedule(() -> answer(exchange, current), delay, TimeUnit.MILLISECONDS);
        } else {
            answer(exchange, current);
        }
    }

    private void count(Run current, String path, String id, boolean good, boolean batch, byte[] body, long nowMicros,
            long nowNanos) {
        if (!batch) {
            long sent = sentMicros(body, 0);
            if (current.arrived(path, id, good, sent, nowMicros, nowNanos)) {
                current.inOrder(path, subject(body), id);
                current.oneByOne(path, sent, nowMicros);
            }
            return;
        }
        // A CloudEvents batch, signed once: every event in it counts, by its own id and send time.
        int at = 0;
        for (int i = find(body, ID_KEY, 0); i >= 0; i = find(body, ID_KEY, at)) {
            int start = i + ID_KEY.length;
            int end = start;
            while (end < body.length && body[end] != '"') {
                end++;
            }
            String eventId = new String(body, start, end - start, StandardCharsets.US_ASCII);
            int sent = find(body, SENT_KEY, end);
            current.arrived(path, eventId, good, sent < 0 ? -1 : sentMicros(body, sent), nowMicros, nowNanos);
            at = Math.max(end, sent);
        }
    }

    private static void answer(HttpExchange exchange, Run run) {
        // Counted closed before the answer leaves: the sender's next request cannot find it still open.
        if (run != null) {
            run.closed();
        }
        try (exchange) {
            exchange.sendResponseHeaders(204, -1);
        } catch (IOException e) {
            // The sender gave up waiting; it sends again.
        }
    }

    /** The event's subject (its user), or "" when it has none. */
    private static String subject(byte[] body) {
        int i = find(body, SUBJECT_KEY, 0);
        if (i < 0) {
            return "";
        }
        int start = i + SUBJECT_KEY.length;
        int end = start;
        while (end < body.length && body[end] != '"') {
            end++;
        }
        return new String(body, start, end - start, StandardCharsets.UTF_8);
    }

    /** The send time the event carries, looked for from {@code from}; -1 when there is none. */
    private static long sentMicros(byte[] body, int from) {
        int i = find(body, SENT_KEY, from);
        if (i < 0) {
            return -1;
        }
        long value = 0;
        for (int k = i + SENT_KEY.length; k < body.length && body[k] >= '0' && body[k] <= '9'; k++) {
            value = value * 10 + (body[k] - '0');
        }
        return value;
    }

    /** Where {@code key} next starts in {@code body} at or after {@code from}, or -1. */
    private static int find(byte[] body, byte[] key, int from) {
        outer:
        for (int i = from; i + key.length < body.length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (body[i + j] != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        server.stop(0);
        later.shutdownNow();
        threads.shutdownNow();
    }

    /** What arrived during one phase of one scenario. */
    static final class Run {

        private final String tag;
        private volatile Map<String, Long> expectedPerPath = Map.of();
        private volatile long expected = Long.MAX_VALUE;
        private volatile long unmeasured;
        private final Map<String, Set<String>> seenByPath = new HashMap<>();
        private final Latencies latencies = new Latencies();
        /** Of the events that came one per request (a batch waits to fill: its latency says so). */
        private final Latencies oneByOne = new Latencies();
        private final Map<String, Latencies> oneByOneByPath = new ConcurrentHashMap<>();
        private final AtomicLong received = new AtomicLong();
        private final AtomicLong duplicates = new AtomicLong();
        private final AtomicLong stale = new AtomicLong();
        private final AtomicLong unexpected = new AtomicLong();
        private final AtomicLong badRequests = new AtomicLong();
        private final AtomicLong outOfOrder = new AtomicLong();
        private final Map<String, Long> lastIndexByUser = new ConcurrentHashMap<>();
        private final AtomicLong openNow = new AtomicLong();
        private final AtomicLong openPeak = new AtomicLong();
        private final AtomicLong firstNanos = new AtomicLong(Long.MAX_VALUE);
        private final AtomicLong lastNanos = new AtomicLong(Long.MIN_VALUE);

        private final boolean ordered;

        private Run(String tag, Set<String> paths, boolean ordered) {
            this.tag = tag;
            this.ordered = ordered;
            paths.forEach(p -> seenByPath.put(p, ConcurrentHashMap.newKeySet()));
        }

        /**
         * What should arrive, per path, once the phase's events are all produced.
         *
         * @param unmeasured how many of those deliveries warm the contender up: the window opens at the arrival that
         *                   completes them (0: at the first)
         */
        void expect(Map<String, Long> perPath, long unmeasured) {
            expectedPerPath = Map.copyOf(perPath);
            expected = perPath.values().stream().mapToLong(Long::longValue).sum();
            this.unmeasured = unmeasured;
        }

        long unmeasured() {
            return unmeasured;
        }

        /** "path received/expected" for every path short of what it should have, or "" when none is. */
        String shortfall() {
            StringBuilder s = new StringBuilder();
            expectedPerPath.forEach((path, n) -> {
                int got = seenByPath.getOrDefault(path, Set.of()).size();
                if (got < n) {
                    s.append(s.length() == 0 ? "" : ", ").append(path).append(' ').append(got).append('/').append(n);
                }
            });
            return s.toString();
        }

        /** @return whether it is the event's first arrival */
        private boolean arrived(String path, String id, boolean good, long sentMicros, long nowMicros, long nowNanos) {
            if (!good) {
                badRequests.incrementAndGet();
            }
            if (id == null || !id.startsWith(tag)) {
                stale.incrementAndGet();
                return false;
            }
            Set<String> seen = seenByPath.get(path);
            if (seen == null) {
                unexpected.incrementAndGet();
                return false;
            }
            if (!seen.add(id)) {
                duplicates.incrementAndGet();
                return false;
            }
            if (sentMicros > 0) {
                latencies.record(Math.max(0, nowMicros - sentMicros));
            }
            long count = received.incrementAndGet();
            if (count > unmeasured) {
                firstNanos.accumulateAndGet(nowNanos, Math::min);
                lastNanos.accumulateAndGet(nowNanos, Math::max);
            }
            return true;
        }

        private void open() {
            openPeak.accumulateAndGet(openNow.incrementAndGet(), Math::max);
        }

        private void closed() {
            openNow.decrementAndGet();
        }

        /** The most requests open at the sink at once: what the sender had in flight. */
        long inFlightPeak() {
            return openPeak.get();
        }

        /**
         * Checks that a user's events arrive in the order they were produced: the index an id ends with never goes
         * back for one user on one path. Called for an event's first arrival only: a repeat is no step back.
         */
        private void inOrder(String path, String user, String id) {
            if (!ordered || id == null || !id.startsWith(tag) || user.isEmpty()) {
                return;
            }
            long index;
            try {
                index = Long.parseLong(id.substring(tag.length()));
            } catch (NumberFormatException e) {
                return;
            }
            if (lastIndexByUser.merge(path + ' ' + user, index, Math::max) > index) {
                outOfOrder.incrementAndGet();
            }
        }

        /** Events that arrived before an earlier event of the same user (single-event requests only). */
        long outOfOrder() {
            return outOfOrder.get();
        }

        /**
         * Waits until every expected delivery arrived, or until nothing new arrived for {@code stall}, calling
         * {@code windowOpened} once (within 20 ms) when the first delivery after the warm-up has arrived.
         *
         * @return true when complete
         */
        boolean await(Duration stall, Runnable windowOpened) throws InterruptedException {
            long last = -1;
            long lastProgress = System.nanoTime();
            boolean open = false;
            while (received.get() < expected) {
                long now = received.get();
                if (!open && now > unmeasured) {
                    open = true;
                    windowOpened.run();
                }
                if (now != last) {
                    last = now;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
                    return false;
                }
                Thread.sleep(20);
            }
            return true;
        }

        long expected() {
            return expected;
        }

        /** Distinct deliveries in the window: those after the contender's warm-up. */
        long receivedInWindow() {
            return Math.max(0, received.get() - unmeasured);
        }

        /** First to last distinct delivery after the warm-up, in seconds. */
        double windowSeconds() {
            long first = firstNanos.get();
            long last = lastNanos.get();
            return last > first ? (last - first) / 1e9 : Double.NaN;
        }

        Latencies.Summary latencies() {
            return latencies.summary();
        }

        /** Latencies of the events sent one per request (none of a batch's). */
        Latencies.Summary oneByOneLatencies() {
            return oneByOne.summary();
        }

        private void oneByOne(String path, long sentMicros, long nowMicros) {
            if (sentMicros > 0) {
                oneByOne.record(Math.max(0, nowMicros - sentMicros));
                oneByOneByPath.computeIfAbsent(path, p -> new Latencies()).record(Math.max(0, nowMicros - sentMicros));
            }
        }

        /** p99 in ms of the events sent one per request, by path. */
        Map<String, Double> oneByOneP99ByPath() {
            Map<String, Double> p99 = new java.util.TreeMap<>();
            oneByOneByPath.forEach((path, l) -> p99.put(path, l.summary().percentileMillis(99)));
            return p99;
        }

        /** Duplicates, stale, unexpected and badly signed requests, or "" when there were none. */
        String anomalies() {
            StringBuilder s = new StringBuilder();
            append(s, "duplicates", duplicates.get());
            append(s, "stale", stale.get());
            append(s, "unexpected path", unexpected.get());
            append(s, "BAD SIGNATURE/CONTENT-TYPE", badRequests.get());
            append(s, "OUT OF ORDER for their user", outOfOrder.get());
            return s.toString();
        }

        boolean signaturesGood() {
            return badRequests.get() == 0;
        }

        private static void append(StringBuilder s, String what, long n) {
            if (n > 0) {
                s.append(s.length() == 0 ? "" : ", ").append(n).append(' ').append(what);
            }
        }
    }
}
