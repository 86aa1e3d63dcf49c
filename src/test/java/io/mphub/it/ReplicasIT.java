package io.mphub.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.mphub.config.Settings;
import io.mphub.testing.Events;
import io.mphub.testing.HubProcess;
import io.mphub.testing.Receiver;
import io.mphub.testing.WeChatPayKeys;
import io.mphub.testing.WeChatPayNotifications;
import io.mphub.testing.WeChatPaySandbox;
import io.mphub.testing.WeChatSandbox;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.mphub.testing.TestKafka.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Packaged hubs in one consumer group behave as one:
 * <ul>
 * <li>a destination's rate is the group's, whether it delivers one event per request or in batches (each hub takes the
 * share of the partitions it owns), with two hubs and with three;</li>
 * <li>they share one WeChat access token, and a refresh forced by one (or by anyone else) does not break the
 * other;</li>
 * <li>a WeChat Pay notification is published once, whichever hub it reaches, both at once, or one restarted since;</li>
 * <li>a rolling restart of one leaves the other delivering (cooperative rebalancing); after a SIGKILL of one, the
 * survivor delivers its partitions within seconds and takes the whole rate.</li>
 * </ul>
 * Nothing is lost and every user's events arrive in order throughout. The times are printed, and held to the issue's
 * figures: the killed replica's partitions delivered within 6 s of the kill, no pause over 2 s in a rolling restart.
 */
class ReplicasIT {

    private static final int RATE = 40;
    /** Analytics, which delivers in batches: requests a second for the group, five events a request at most. */
    private static final int BATCH_RATE = 4;
    private static final int BATCH_EVENTS = 5;
    private static final String OUTBOX = "mp.out.customer-service";
    private static final String GROUP = "mphub.deliver.customer-service";

    @RegisterExtension
    static final HubFixture fixture = new HubFixture();

    @TempDir
    Path temp;

    private static final String REPEATED = "4200002001202611300000000001";
    private static final String TOGETHER = "4200002001202611300000000002";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Map<String, Instant> published = new ConcurrentHashMap<>();
    private WeChatPayKeys payKeys;
    /** How much the survivor had logged when the other hub was killed. */
    private int survivorLogAtKill;
    private WeChatPaySandbox paySandbox;
    private final List<String> streamed = Collections.synchronizedList(new ArrayList<>());

    @Test
    void replicasBehaveAsOne() throws Exception {
        WeChatSandbox wechat = fixture.closing(WeChatSandbox.start());
        String secret = WeChatSandbox.newSecret();
        wechat.app(Events.APP, secret);
        Map<String, String> env = env(wechat, secret);
        Receiver cs = fixture.receivers.get("customer-service");
        List<HubProcess> started = new ArrayList<>();
        HubProcess a = start(started, env, "a.log");
        try (HubProcess b = start(started, env, "b.log")) {
            await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.groupIsSettled(GROUP, OUTBOX, 2));
            HubProcess first = a;
            await().atMost(30, TimeUnit.SECONDS).until(() -> first.log().contains(shareLine(20, 4))
                    && b.log().contains(shareLine(20, 4)) && first.log().contains(batchShareLine(2, 4))
                    && b.log().contains(batchShareLine(2, 4)));

            oneTokenForBoth(wechat);
            callbackPublishedOnce(a, b);
            rateHeldTogether(cs, 2);
            try (HubProcess c = start(started, env, "c.log")) {
                await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.groupIsSettled(GROUP, OUTBOX, 3));
                await().atMost(30, TimeUnit.SECONDS).until(() -> c.log().contains("its share of the rate " + RATE));
                rateHeldTogether(cs, 3);
            }
            await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.groupIsSettled(GROUP, OUTBOX, 2));

            ScheduledExecutorService stream = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger n = new AtomicInteger();
            stream.scheduleAtFixedRate(() -> publishStreamed(n.getAndIncrement()), 0, 40, TimeUnit.MILLISECONDS);
            try {
                await().atMost(30, TimeUnit.SECONDS).until(() -> cs.delivered().containsAll(streamedNow()));
                a = rollingRestart(a, env, cs, started);
                repeatAfterRestartPublishesNothing(a);
                takeoverAfterKill(a, b, cs);
            } finally {
                stream.shutdownNow();
                stream.awaitTermination(5, TimeUnit.SECONDS);
            }
            await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(cs.delivered())
                    .containsAll(streamedNow()));
            assertInOrderPerUser(cs);
            survivorTakesTheWholeRate(cs);
            batchRateHeldThroughout(b);
        } finally {
            for (HubProcess hub : started) {
                hub.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts a hub and keeps it to be killed at the end, whatever fails. */
    private HubProcess start(List<HubProcess> started, Map<String, String> env, String log) throws Exception {
        HubProcess hub = HubProcess.start(env, temp.resolve(log));
        started.add(hub);
        return hub;
    }

    /**
     * WeChat's stable_token hands both hubs the same token; when someone forces a refresh, both take the new one in
     * normal mode; when the current one is broken, one forced refresh serves both.
     */
    private void oneTokenForBoth(WeChatSandbox wechat) {
        await().atMost(30, TimeUnit.SECONDS).until(() -> fixture.kafka.groupIsSettled("mphub.deliver.notifications",
                "mp.out.notifications", 2));
        shipped("token-a-", 16);
        await().atMost(30, TimeUnit.SECONDS).until(() -> sentOk(wechat, "token-a-").size() == 16);
        assertThat(wechat.issued(Events.APP)).hasSize(1);

        wechat.rotate(Events.APP); // another server or the admin console forced a refresh
        shipped("token-b-", 16);
        await().atMost(30, TimeUnit.SECONDS).until(() -> sentOk(wechat, "token-b-").size() == 16);
        assertThat(wechat.issued(Events.APP)).hasSize(2);
        assertThat(wechat.tokenCalls(Events.APP)).noneMatch(WeChatSandbox.TokenCall::force);

        wechat.breakCurrent(Events.APP); // refused, though normal mode still hands it out: only a force helps
        shipped("token-c-", 16);
        await().atMost(60, TimeUnit.SECONDS).until(() -> sentOk(wechat, "token-c-").size() == 16);
        List<WeChatSandbox.Token> issued = wechat.issued(Events.APP);
        assertThat(issued).hasSize(3);
        String third = issued.get(2).value();
        assertThat(sentOk(wechat, "token-c-").values()).allMatch(third::equals);
        long forced = wechat.tokenCalls(Events.APP).stream().filter(WeChatSandbox.TokenCall::force).count();
        System.out.printf("WeChat access token, two hubs: 3 tokens issued in all (the first, one forced by another"
                + " server, one forced by a hub), %d stable_token calls, %d of them forced%n",
                wechat.tokenCalls(Events.APP).size(), forced);
    }

    /**
     * A WeChat Pay notification repeated to the other hub publishes nothing new; so does one given to both at once,
     * each answered with success.
     */
    private void callbackPublishedOnce(HubProcess a, HubProcess b) throws Exception {
        String repeated = paymentNotification(REPEATED);
        long sent = System.nanoTime();
        assertThat(notify(a, repeated).statusCode()).isEqualTo(204);
        long first = System.nanoTime();
        assertThat(notify(b, repeated).statusCode()).isEqualTo(204);
        long repeat = System.nanoTime();
        assertThat(published(REPEATED)).isEqualTo(1);
        System.out.printf("WeChat Pay notification answered in %d ms when published, %d ms when repeated to the other"
                + " hub%n", (first - sent) / 1_000_000, (repeat - first) / 1_000_000);

        String together = paymentNotification(TOGETHER);
        ExecutorService both = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Future<Integer> toA = both.submit(() -> {
                go.await();
                return notify(a, together).statusCode();
            });
            Future<Integer> toB = both.submit(() -> {
                go.await();
                return notify(b, together).statusCode();
            });
            go.countDown();
            assertThat(List.of(toA.get(30, TimeUnit.SECONDS), toB.get(30, TimeUnit.SECONDS))).containsOnly(204);
        } finally {
            both.shutdownNow();
        }
        assertThat(published(TOGETHER)).isEqualTo(1);
        System.out.println("WeChat Pay notifications: one repeated to the other hub, one given to both at once:"
                + " each published once on mp.results");
    }

    /** The hub restarted in the rolling restart remembers what was published before: nothing new. */
    private void repeatAfterRestartPublishesNothing(HubProcess restarted) throws Exception {
        assertThat(notify(restarted, paymentNotification(REPEATED)).statusCode()).isEqualTo(204);
        assertThat(published(REPEATED)).isEqualTo(1);
    }

    private String paymentNotification(String transactionId) {
        return WeChatPayNotifications.notification("TRANSACTION.SUCCESS", WeChatPayNotifications.transaction(
                transactionId, "ORD" + transactionId.substring(transactionId.length() - 6), "oPayer1"), payKeys.apiV3Key);
    }

    private HttpResponse<String> notify(HubProcess hub, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort()
                + "/callbacks/wechatpay")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        WeChatPayNotifications.headers(paySandbox, body, Instant.now().getEpochSecond()).forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** How many payment events of this transaction the hub's consumers see on mp.results. */
    private static long published(String transactionId) {
        return fixture.kafka.readAll("mp.results", "read_committed").stream()
                .filter(r -> ("wxpay-" + transactionId).equals(header(r, "ce_id"))).count();
    }

    private void rateHeldTogether(Receiver cs, int hubs) {
        int before = cs.posts().size();
        int total = 600;
        List<String> ids = IntStream.range(0, total).mapToObj(i -> "replica-rate-" + hubs + "-" + i).toList();
        fixture.kafka.publishAll("mp.events.login", IntStream.range(0, total).mapToObj(i -> {
            String u = "oReplicaRate" + (i % 50);
            return Map.entry(u, Events.structured(ids.get(i), "mp.user.login", u, Events.login(u)));
        }).toList());
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(cs.delivered()).containsAll(ids));
        List<Instant> arrivals = cs.posts().stream().skip(before).map(Receiver.Arrival::at).sorted().toList();
        int most = mostWithin(arrivals, Duration.ofSeconds(4));
        System.out.printf("rate %d/s for the group of %d hubs: at most %d requests in any 4 s%n", RATE, hubs, most);
        // An exact limiter of n a second lets n through at once, then n a second later: a window of L seconds at the
        // receiver sees at most n x (L + 1). Two replicas each at the whole rate would show twice that.
        assertThat(most).isLessThanOrEqualTo(RATE * 5);
    }

    /** SIGTERM one hub and start it again while events flow: the other never stops delivering for long. */
    private HubProcess rollingRestart(HubProcess a, Map<String, String> env, Receiver cs, List<HubProcess> started)
            throws Exception {
        Instant from = Instant.now();
        a.close();
        HubProcess again = start(started, env, "a-again.log");
        await().atMost(60, TimeUnit.SECONDS).until(() -> fixture.kafka.groupIsSettled(GROUP, OUTBOX, 2));
        Instant settled = Instant.now();
        await().pollDelay(Duration.ofSeconds(3)).atMost(30, TimeUnit.SECONDS)
                .until(() -> cs.delivered().containsAll(streamedNow()));
        Duration gap = longestGap(cs, from, settled);
        Duration batchGap = longestGap(fixture.receivers.get("analytics"), from, settled);
        System.out.printf("rolling restart (SIGTERM one of two hubs, start it again, %.1f s until the group settled):"
                + " the longest pause in deliveries was %.2f s; the longest an event waited, %.2f s; the longest pause"
                + " of analytics (batches, %d/s, eager rebalancing) %.2f s%n",
                Duration.between(from, settled).toMillis() / 1e3, gap.toMillis() / 1e3,
                longestWait(cs, from, settled).toMillis() / 1e3, BATCH_RATE, batchGap.toMillis() / 1e3);
        assertThat(gap).isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(batchGap).isLessThanOrEqualTo(Duration.ofSeconds(2));
        // Delivery rebalanced cooperatively: the replica that stays keeps delivering from its partitions while others
        // move. Every group settles (read once stable: while it rebalances, a group names no assignor).
        try (Admin admin = fixture.kafka.admin()) {
            for (Map.Entry<String, String> group : Map.of(GROUP, "cooperative-sticky", "mphub.ingest", "range",
                    "mphub.deliver.analytics", "range").entrySet()) {
                await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(admin.describeConsumerGroups(
                        List.of(group.getKey())).all().get().get(group.getKey()).partitionAssignor()).as(group.getKey())
                        .isEqualTo(group.getValue()));
            }
        }
        return again;
    }

    /** SIGKILL one hub while events flow: the survivor delivers its partitions after the session timeout. */
    private void takeoverAfterKill(HubProcess a, HubProcess b, Receiver cs) throws Exception {
        survivorLogAtKill = b.log().length();
        int logged = survivorLogAtKill;
        Instant killed = Instant.now();
        a.process().destroyForcibly();
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                .until(() -> b.log().substring(logged).contains(shareLine(40, 8)));
        Duration assigned = Duration.between(killed, Instant.now());
        Instant until = Instant.now().plusSeconds(2);
        await().atMost(30, TimeUnit.SECONDS).until(() -> Instant.now().isAfter(until)
                && cs.delivered().containsAll(streamedNow()));
        Duration waited = longestWait(cs, killed.minusMillis(500), killed.plusSeconds(1));
        Duration takeover = longestWait(cs, killed.minusMillis(500), killed.plusSeconds(1), killed);
        System.out.printf("SIGKILL of one of two hubs: the survivor owned all 8 partitions of %s %.1f s later, and had"
                + " delivered every event published around the kill %.1f s after it; the longest an event waited, %.1f"
                + " s%n", OUTBOX, assigned.toMillis() / 1e3, takeover.toMillis() / 1e3, waited.toMillis() / 1e3);
        // The figure: the survivor delivers the dead replica's partitions within 6 s of the kill.
        assertThat(takeover).isLessThanOrEqualTo(Duration.ofSeconds(6));
    }

    private void survivorTakesTheWholeRate(Receiver cs) {
        int before = cs.posts().size();
        List<String> ids = IntStream.range(0, 240).mapToObj(i -> "survivor-rate-" + i).toList();
        fixture.kafka.publishAll("mp.events.login", IntStream.range(0, ids.size()).mapToObj(i -> {
            String u = "oSurvivor" + (i % 40);
            return Map.entry(u, Events.structured(ids.get(i), "mp.user.login", u, Events.login(u)));
        }).toList());
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(cs.delivered()).containsAll(ids));
        int most = mostWithin(cs.posts().stream().skip(before).map(Receiver.Arrival::at).sorted().toList(),
                Duration.ofSeconds(2));
        System.out.printf("the survivor alone: at most %d requests in any 2 s (rate %d/s)%n", most, RATE);
        // More than its old share (20/s: at most 60 in 2 s), at most the whole rate.
        assertThat(most).isGreaterThan(20 * 3).isLessThanOrEqualTo(RATE * 3);
    }

    /**
     * Analytics had more to send than its rate all along (every event goes to it): the group never sent it more than
     * its rate, through the restart and the kill, and the survivor took the whole rate.
     */
    private void batchRateHeldThroughout(HubProcess survivor) throws Exception {
        Receiver analytics = fixture.receivers.get("analytics");
        int most = mostWithin(analytics.posts().stream().map(Receiver.Arrival::at).sorted().toList(),
                Duration.ofSeconds(4));
        System.out.printf("analytics (batches, rate %d/s for the group): at most %d requests in any 4 s over %d in"
                + " all%n", BATCH_RATE, most, analytics.posts().size());
        assertThat(most).isLessThanOrEqualTo(BATCH_RATE * 5);
        // Each of its batch consumers takes its new partitions at its next poll, once the batch in hand is sent.
        await().atMost(60, TimeUnit.SECONDS).until(() -> survivor.log().substring(survivorLogAtKill)
                .contains(batchShareLine(4, 8)));
    }

    private Map<String, String> env(WeChatSandbox wechat, String secret) throws Exception {
        payKeys = new WeChatPayKeys(Files.createDirectories(temp.resolve("wechatpay")));
        paySandbox = fixture.closing(new WeChatPaySandbox(payKeys));
        Path templates = Files.writeString(temp.resolve("subscribe-messages.yaml"), """
                templates:
                  mp.order.shipped:
                    template_id:
                      %s: "TPL-SHIPPED"
                    data:
                      character_string1: "{data.orderId}"
                      thing2: "{data.carrier}"
                """.formatted(Events.APP));
        wechat.template(Events.APP, "TPL-SHIPPED", "character_string1", "thing2");
        Map<String, String> env = new HashMap<>(fixture.env());
        env.put("MPHUB_DESTINATIONS_CUSTOMER_SERVICE_RATE", String.valueOf(RATE));
        env.put("MPHUB_DESTINATIONS_ANALYTICS_RATE", String.valueOf(BATCH_RATE));
        env.put("MPHUB_DESTINATIONS_ANALYTICS_BATCH_MAX_EVENTS", String.valueOf(BATCH_EVENTS));
        env.put("MPHUB_DESTINATIONS_NOTIFICATIONS_KIND", "wechat-subscribe-message");
        env.put("MPHUB_DESTINATIONS_NOTIFICATIONS_URL", wechat.url());
        env.put("MPHUB_WECHAT_API_URL", wechat.url());
        env.put("MPHUB_WECHAT_APP_IDS", Events.APP);
        env.put("MPHUB_WECHAT_APPS_" + Events.APP.toUpperCase(Locale.ROOT) + "_SECRET", secret);
        env.put("MPHUB_WECHAT_SUBSCRIBE_MESSAGES", templates.toString());
        // The WeChat Pay callback, whose repeats are under test (payment itself stays a webhook destination).
        payKeys.settings().forEach((key, value) -> {
            if (!key.startsWith("mphub.wechatpay.v2.")) {
                env.put(Settings.envName(key), value);
            }
        });
        return env;
    }

    /** {@code n} orders shipped, to notifications (and others), four users in turn. */
    private void shipped(String prefix, int n) {
        fixture.kafka.publishAll("mp.events.order", IntStream.range(0, n).mapToObj(i -> {
            String u = "oToken" + (i % 4);
            return Map.entry(u, Events.structured(prefix + i, "mp.order.shipped", u,
                    Events.orderShipped(u, "ORD" + prefix.replace("-", "") + i)));
        }).toList());
    }

    /** The token each order of the batch {@code prefix} was sent with (WeChat accepted it), by order id. */
    private static Map<String, String> sentOk(WeChatSandbox wechat, String prefix) {
        String orders = "ORD" + prefix.replace("-", "");
        Map<String, String> sent = new HashMap<>();
        wechat.sends().stream().filter(s -> s.errcode() == 0 && s.value("character_string1").startsWith(orders))
                .forEach(s -> sent.put(s.value("character_string1"), s.token()));
        return sent;
    }

    /** One event of the steady stream: 25 users in turn, each event's publish time kept. */
    private void publishStreamed(int i) {
        String u = "oStream" + (i % 25);
        String id = "stream-" + i;
        published.put(id, Instant.now());
        fixture.kafka.publish("mp.events.login", u, Events.structured(id, "mp.user.login", u, Events.login(u)));
        streamed.add(id);
    }

    private List<String> streamedNow() {
        synchronized (streamed) {
            return List.copyOf(streamed);
        }
    }

    /** When each event was first delivered (a takeover may deliver one again). */
    private static Map<String, Instant> firstDelivered(Receiver cs) {
        Map<String, Instant> first = new HashMap<>();
        cs.posts().stream().filter(p -> p.answeredStatus() / 100 == 2)
                .forEach(p -> p.eventIds().forEach(id -> first.putIfAbsent(id, p.at())));
        return first;
    }

    /** The longest time between two deliveries (or from {@code from} to the first) until {@code to}. */
    private static Duration longestGap(Receiver cs, Instant from, Instant to) {
        List<Instant> at = new ArrayList<>(List.of(from));
        cs.posts().stream().map(Receiver.Arrival::at).filter(t -> t.isAfter(from) && t.isBefore(to)).sorted()
                .forEach(at::add);
        at.add(to);
        Duration longest = Duration.ZERO;
        for (int i = 1; i < at.size(); i++) {
            Duration gap = Duration.between(at.get(i - 1), at.get(i));
            longest = gap.compareTo(longest) > 0 ? gap : longest;
        }
        return longest;
    }

    /** The longest an event of the stream published between {@code from} and {@code to} waited for delivery. */
    private Duration longestWait(Receiver cs, Instant from, Instant to) {
        return longestWait(cs, from, to, Instant.MIN);
    }

    /**
     * The same, counting from {@code since} for an event published before it: how long after a kill the events the
     * killed replica held were delivered.
     */
    private Duration longestWait(Receiver cs, Instant from, Instant to, Instant since) {
        Map<String, Instant> first = firstDelivered(cs);
        return published.entrySet().stream()
                .filter(e -> !e.getValue().isBefore(from) && e.getValue().isBefore(to))
                .map(e -> Duration.between(e.getValue().isBefore(since) ? since : e.getValue(), first.get(e.getKey())))
                .max(Comparator.naturalOrder()).orElseThrow();
    }

    /** Every user of the stream got its events first delivered in the order they were published. */
    private void assertInOrderPerUser(Receiver cs) {
        Map<String, Instant> first = firstDelivered(cs);
        Map<String, List<String>> byUser = new HashMap<>();
        for (String id : streamedNow()) {
            byUser.computeIfAbsent("oStream" + (Integer.parseInt(id.substring("stream-".length())) % 25),
                    u -> new ArrayList<>()).add(id);
        }
        byUser.forEach((user, ids) -> assertThat(ids).as(user).isSortedAccordingTo(
                Comparator.comparing(first::get)));
        System.out.printf("%d events of %d users streamed through the restart and the kill: every one delivered,"
                + " each user's in order%n", streamedNow().size(), byUser.size());
    }

    /** The most arrivals within any {@code window} (one starting at each arrival). */
    private static int mostWithin(List<Instant> sorted, Duration window) {
        int most = 0;
        int end = 0;
        for (int start = 0; start < sorted.size(); start++) {
            Instant limit = sorted.get(start).plus(window);
            while (end < sorted.size() && sorted.get(end).isBefore(limit)) {
                end++;
            }
            most = Math.max(most, end - start);
        }
        return most;
    }

    private static String batchShareLine(int share, int owned) {
        return "delivery to analytics: this replica sends at most " + share + "/s, its share of the rate "
                + BATCH_RATE + "/s (" + owned + " of 8 partitions)";
    }

    private static String shareLine(int share, int owned) {
        return "delivery to customer-service: this replica sends at most " + share + "/s, its share of the rate "
                + RATE + "/s (" + owned + " of 8 partitions)";
    }
}
