package io.mphub.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.testing.Events;
import io.mphub.testing.LogCapture;
import io.mphub.testing.TestClock;
import io.mphub.testing.WeChatSandbox;
import io.mphub.testing.WeChatSandbox.Send;
import io.mphub.testing.WeChatSandbox.Token;
import io.mphub.testing.WeChatSandbox.TokenCall;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.mphub.testing.TestKafka.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Destination notifications as kind wechat-subscribe-message, end to end: real broker, real hub, and a local WeChat
 * ({@link WeChatSandbox}) that issues stable tokens, checks every token and message the way WeChat does, and
 * answers scripted errcodes. The hub runs on a {@link TestClock}, so a test can stand it just before a quota window
 * resets instead of waiting for midnight in Beijing.
 * <p>
 * One mini program per concern (so token calls can be counted per app), each with its own template ids.
 * Once the clock stands hours ahead, the other destinations' webhook receivers refuse the hub's signatures
 * (Standard Webhooks: 5 minutes of skew at most) and their dead letters grow: they are not under test here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SubscribeMessageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final String MAIN = "wx0000000000000a01";
    private static final String BURST = "wx0000000000000b02";
    private static final String ROTATE = "wx0000000000000c03";
    private static final String BREAK = "wx0000000000000d04";
    private static final String QUARTZ = "wx0000000000000e05";
    private static final String BAD = "wx0000000000000f06";
    private static final String STALE = "wx0000000000000a07";
    private static final List<String> APPS = List.of(MAIN, BURST, ROTATE, BREAK, QUARTZ, BAD, STALE);
    private static final String[] SHIPPED_KEYS = {"character_string1", "thing2", "character_string3", "time4"};
    /** The hub waits in line up to this long; a longer quota window pauses the destination. */
    private static final Duration MAX_INLINE_WAIT = Duration.ofSeconds(5);
    private static final Duration REJECTED_RETRY = Duration.ofSeconds(6);

    private static final Map<String, String> hubSecrets = new LinkedHashMap<>();
    private static final TestClock clock = TestClock.system();
    private static final HttpClient http = HttpClient.newHttpClient();
    private static LogCapture logs;
    private static WeChatSandbox wechat;
    @RegisterExtension
    static final HubFixture fixture = new HubFixture();
    private static int httpPort;

    @BeforeAll
    static void start() throws Exception {
        logs = fixture.logs();
        wechat = fixture.closing(WeChatSandbox.start());
        for (String app : APPS) {
            hubSecrets.put(app, WeChatSandbox.newSecret());
            if (app.equals(QUARTZ)) {
                // Short-lived tokens: the token job has to renew them while the test watches.
                wechat.app(app, hubSecrets.get(app), Duration.ofSeconds(6), Duration.ofSeconds(3));
            } else if (app.equals(BAD)) {
                wechat.app(app, WeChatSandbox.newSecret()); // the hub has the wrong AppSecret
            } else {
                wechat.app(app, hubSecrets.get(app));
            }
            if (!app.equals(STALE)) { // STALE's template was deleted in its admin console
                wechat.template(app, "TPL-SHIPPED-" + app, SHIPPED_KEYS);
            }
        }
        wechat.template(MAIN, "TPL-LOGISTICS-" + MAIN, "character_string1", "thing2", "time3");

        Path templates = Files.createTempDirectory("mphub-subscribe").resolve("subscribe-messages.yaml");
        StringBuilder yaml = new StringBuilder("templates:\n  mp.order.shipped:\n    template_id:\n");
        APPS.forEach(app -> yaml.append("      ").append(app).append(": \"TPL-SHIPPED-").append(app).append("\"\n"));
        yaml.append("""
                    page: "pages/order/detail?orderId={data.orderId}"
                    data:
                      character_string1: "{data.orderId}"
                      thing2: "{data.carrier}"
                      character_string3: "{data.waybillNo}"
                      time4: "{time}"
                  mp.logistics.updated:
                    template_id:
                """).append("      ").append(MAIN).append(": \"TPL-LOGISTICS-").append(MAIN).append("\"\n").append("""
                    miniprogram_state: trial
                    data:
                      character_string1: "{data.waybillNo}"
                      thing2: "{data.latest.context}"
                      time3: "{data.latest.time}"
                """);
        Files.writeString(templates, yaml);

        Map<String, String> p = new HashMap<>();
        p.put("mphub.destinations.notifications.kind", "wechat-subscribe-message");
        p.put("mphub.destinations.notifications.url", wechat.url());
        p.put("mphub.destinations.notifications.retry.max-attempts", "2");
        p.put("mphub.wechat.api-url", wechat.url());
        p.put("mphub.wechat.app-ids", String.join(",", APPS));
        hubSecrets.forEach((app, secret) -> p.put("mphub.wechat.apps." + app + ".secret", secret));
        p.put("mphub.wechat.subscribe-messages", templates.toString());
        p.put("mphub.wechat.token.refresh-cron", "* * * * * ?");
        p.put("mphub.wechat.token.refresh-margin-ms", "3000");
        p.put("mphub.wechat.token.rejected-retry-ms", String.valueOf(REJECTED_RETRY.toMillis()));
        p.put("mphub.delivery.max-retry-after-ms", String.valueOf(MAX_INLINE_WAIT.toMillis()));
        fixture.startHub(p, clock);
        httpPort = fixture.hub.httpPort();
    }

    @Test
    @Order(1)
    void shippedAndLogisticsEventsBecomeMessagesWithTheirTemplateAndValues() throws Exception {
        String u = "oShipUser1";
        String shipped = shipped("sm-shipped-1", MAIN, u, "SHIP000001", "SF1234567890");
        publishLogistics("sm-logistics-1", MAIN, u, "SHIP000001", "SF1234567890", "2026-03-01 10:00:00",
                "快件已到达【北京顺义集散中心】，正在发往下一站，请耐心等待");

        await().atMost(60, TimeUnit.SECONDS).until(() -> delivered(u).size() == 2);
        Send ship = delivered(u).stream().filter(s -> s.body().path("template_id").asText().startsWith("TPL-SHIPPED"))
                .findFirst().orElseThrow();
        assertThat(ship.appId()).isEqualTo(MAIN);
        assertThat(ship.body().get("template_id").asText()).isEqualTo("TPL-SHIPPED-" + MAIN);
        assertThat(ship.body().get("page").asText()).isEqualTo("pages/order/detail?orderId=SHIP000001");
        assertThat(ship.body().get("miniprogram_state").asText()).isEqualTo("formal");
        assertThat(ship.body().get("lang").asText()).isEqualTo("zh_CN");
        assertThat(ship.value("character_string1")).isEqualTo("SHIP000001");
        assertThat(ship.value("thing2")).isEqualTo("shunfeng");
        assertThat(ship.value("character_string3")).isEqualTo("SF1234567890");
        String eventTime = JSON.readTree(shipped).get("time").asText();
        assertThat(ship.value("time4")).isEqualTo(OffsetDateTime.parse(eventTime).atZoneSameInstant(BEIJING)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));

        Send parcel = delivered(u).stream().filter(s -> s != ship).findFirst().orElseThrow();
        assertThat(parcel.body().get("template_id").asText()).isEqualTo("TPL-LOGISTICS-" + MAIN);
        assertThat(parcel.body().get("miniprogram_state").asText()).isEqualTo("trial");
        assertThat(parcel.value("character_string1")).isEqualTo("SF1234567890");
        assertThat(parcel.value("thing2")).isEqualTo("快件已到达【北京顺义集散中心】，正在发…");
        assertThat(parcel.value("time3")).isEqualTo("2026-03-01 10:00:00");
        assertThat(deadLetter("sm-shipped-1")).isEmpty();
    }

    @Test
    @Order(2)
    void eventTypeWithoutTemplateForItsAppIsSkippedAndCounted() throws Exception {
        double before = metric("skipped", "no_template");
        publishLogistics("sm-no-template-1", BURST, "oNoTemplate", "NOTPL00001", "YT0000000001", "2026-03-01 10:00:00",
                "在途");
        await().atMost(60, TimeUnit.SECONDS).until(() -> metric("skipped", "no_template") == before + 1);
        assertThat(wechat.sendsTo("oNoTemplate")).isEmpty();
        assertThat(wechat.tokenCalls(BURST)).isEmpty();
        assertThat(deadLetter("sm-no-template-1")).isEmpty();
    }

    @Test
    @Order(3)
    void manyMessagesCostOneTokenFetch() {
        int n = 20;
        for (int i = 0; i < n; i++) {
            shipped("sm-burst-" + i, BURST, "oBurst" + i, "BURST" + String.format("%05d", i), "SF90000000" + i);
        }
        await().atMost(60, TimeUnit.SECONDS).until(() -> wechat.sends().stream()
                .filter(s -> BURST.equals(s.appId()) && s.errcode() == 0).count() == n);
        List<TokenCall> calls = wechat.tokenCalls(BURST);
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).force()).isFalse();
        assertThat(wechat.sends()).filteredOn(s -> BURST.equals(s.appId()))
                .allSatisfy(s -> assertThat(s.token()).isEqualTo(calls.get(0).issued()));
    }

    @Test
    @Order(4)
    void tokenReplacedElsewhereIsRenewedOnceInNormalModeAndTheMessageDelivered() {
        String u = "oRotate1";
        shipped("sm-rotate-1", ROTATE, u, "ROTATE0001", "SF1000000001");
        await().atMost(60, TimeUnit.SECONDS).until(() -> delivered(u).size() == 1);
        String old = delivered(u).get(0).token();
        int callsBefore = wechat.tokenCalls(ROTATE).size();

        wechat.rotate(ROTATE); // another server forced a refresh: the hub's cached token is dead
        shipped("sm-rotate-2", ROTATE, u, "ROTATE0002", "SF1000000002");
        await().atMost(60, TimeUnit.SECONDS).until(() -> delivered(u).size() == 2);

        assertThat(wechat.sendsTo(u)).extracting(Send::errcode).containsExactly(0, 40001, 0);
        assertThat(wechat.sendsTo(u).get(1).token()).isEqualTo(old);
        String current = wechat.issued(ROTATE).get(wechat.issued(ROTATE).size() - 1).value();
        assertThat(wechat.sendsTo(u).get(2).token()).isEqualTo(current);
        List<TokenCall> renewals = wechat.tokenCalls(ROTATE).subList(callsBefore, wechat.tokenCalls(ROTATE).size());
        assertThat(renewals).singleElement().satisfies(c -> assertThat(c.force()).isFalse());
        assertThat(deadLetter("sm-rotate-2")).isEmpty();
    }

    @Test
    @Order(5)
    void refusedTokenThatWeChatStillHandsOutIsForceRefreshedOnceAndTheMessageDelivered() {
        String u = "oBreak1";
        shipped("sm-break-1", BREAK, u, "BREAK00001", "SF2000000001");
        await().atMost(60, TimeUnit.SECONDS).until(() -> delivered(u).size() == 1);
        int callsBefore = wechat.tokenCalls(BREAK).size();

        wechat.breakCurrent(BREAK);
        shipped("sm-break-2", BREAK, u, "BREAK00002", "SF2000000002");
        await().atMost(60, TimeUnit.SECONDS).until(() -> delivered(u).size() == 2);

        assertThat(wechat.sendsTo(u)).extracting(Send::errcode).containsExactly(0, 40001, 0);
        List<TokenCall> renewals = wechat.tokenCalls(BREAK).subList(callsBefore, wechat.tokenCalls(BREAK).size());
        assertThat(renewals).extracting(TokenCall::force).containsExactly(false, true);
        assertThat(wechat.sendsTo(u).get(2).token()).isEqualTo(renewals.get(1).issued());
    }

    @Test
    @Order(6)
    void busyIsRetriedWithBackoffThenDelivered() throws Exception {
        String u = "oBusy1";
        double retries = metric("retry", "busy");
        wechat.script(u, -1);
        shipped("sm-busy-1", MAIN, u, "BUSY000001", "SF3000000001");
        await().atMost(60, TimeUnit.SECONDS).until(() -> delivered(u).size() == 1);
        assertThat(wechat.sendsTo(u)).extracting(Send::errcode).containsExactly(-1, 0);
        assertThat(metric("retry", "busy")).isEqualTo(retries + 1);
    }

    /**
     * 45011 first, then -1, then success, with 2 attempts per event: had the quota wait spent an attempt, the -1
     * would have been the last one and the event dead-lettered. (With 1 attempt a wait followed by success proves
     * nothing: nothing is counted against the bound unless an attempt fails.)
     */
    @Test
    @Order(7)
    void minuteQuotaWaitsForTheNextMinuteWithoutSpendingAnAttempt() throws Exception {
        String u = "oMinute1";
        double waits = metric("quota_wait", "errcode_45011");
        wechat.script(u, 45011, -1);
        standBefore(nextBoundary(ChronoUnit.MINUTES, Duration.ofSeconds(3)), Duration.ofSeconds(3));
        shipped("sm-minute-1", MAIN, u, "MINUTE0001", "SF4000000001");

        await().atMost(90, TimeUnit.SECONDS).until(() -> delivered(u).size() == 1);
        List<Send> sends = wechat.sendsTo(u);
        assertThat(sends).extracting(Send::errcode).containsExactly(45011, -1, 0);
        Instant quotaAnswered = hubTime(sends.get(0).at());
        assertThat(hubTime(sends.get(1).at()))
                .isAfterOrEqualTo(quotaAnswered.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES));
        assertThat(metric("quota_wait", "errcode_45011")).isEqualTo(waits + 1);
        assertThat(deadLetter("sm-minute-1")).isEmpty();
    }

    @Test
    @Order(8)
    void declinedByTheUserIsCountedAndNotDeadLettered() throws Exception {
        String u = "oDeclined1";
        double before = metric("skipped", "declined");
        wechat.script(u, 43101);
        shipped("sm-declined-1", MAIN, u, "DECLINE001", "SF5000000001");
        await().atMost(60, TimeUnit.SECONDS).until(() -> metric("skipped", "declined") == before + 1);
        assertThat(wechat.sendsTo(u)).extracting(Send::errcode).containsExactly(43101);
        assertThat(deadLetter("sm-declined-1")).isEmpty();
    }

    @Test
    @Order(9)
    void otherErrcodeIsDeadLetteredWithTheCodeAndWeChatsMessage() {
        String u = "oStale1";
        shipped("sm-stale-1", STALE, u, "STALE00001", "SF6000000001");
        ConsumerRecord<String, byte[]> dead = awaitDeadLetter("sm-stale-1");
        assertThat(header(dead, "mphub.error.reason")).isEqualTo("errcode_40037");
        assertThat(header(dead, "mphub.error.message")).contains("40037").contains("invalid template_id");
        assertThat(header(dead, "mphub.attempts")).isEqualTo("1");
        assertThat(header(dead, "mphub.destination")).isEqualTo("notifications");
        assertThat(wechat.sendsTo(u)).extracting(Send::errcode).containsExactly(40037);
    }

    @Test
    @Order(10)
    void valueBreakingWeChatsRuleOrMissingIsDeadLetteredWithoutASend() {
        String u = "oLongWaybill1";
        shipped("sm-long-1", MAIN, u, "LONGWB0001", "SF" + "1".repeat(40)); // character_string: at most 32
        ConsumerRecord<String, byte[]> dead = awaitDeadLetter("sm-long-1");
        assertThat(header(dead, "mphub.error.reason")).isEqualTo("value_rule");
        assertThat(header(dead, "mphub.error.message")).contains("character_string3");
        assertThat(wechat.sendsTo(u)).isEmpty();

        // A parcel update without checkpoints has no data.latest for the template's thing2 and time3.
        String data = "{\"appId\":\"" + MAIN + "\",\"orderId\":\"NOLATEST01\",\"openId\":\"" + u + "\","
                + "\"carrier\":\"shunfeng\",\"waybillNo\":\"SF1111111111\",\"state\":\"0\"}";
        fixture.kafka.publish("mp.results", u, Events.structured("sm-no-latest-1", "mp.logistics.updated", u, data)
                .replace("/miniprogram/" + Events.APP, "/mphub"));
        ConsumerRecord<String, byte[]> missing = awaitDeadLetter("sm-no-latest-1");
        assertThat(header(missing, "mphub.error.reason")).isEqualTo("missing_value");
        assertThat(header(missing, "mphub.error.message")).contains("{data.latest.context}");
        assertThat(wechat.sendsTo(u)).isEmpty();
    }

    @Test
    @Order(11)
    void tokenJobRenewsATokenBeforeItExpires() {
        String u = "oQuartz1";
        shipped("sm-quartz-1", QUARTZ, u, "QUARTZ0001", "SF7000000001");
        await().atMost(60, TimeUnit.SECONDS).until(() -> delivered(u).size() == 1);
        Token first = wechat.issued(QUARTZ).stream().filter(t -> t.value().equals(delivered(u).get(0).token()))
                .findFirst().orElseThrow();

        // No message uses the app meanwhile: only the job can ask for the next token, and it must do so in time.
        await().atMost(30, TimeUnit.SECONDS).until(() -> wechat.issued(QUARTZ).stream()
                .anyMatch(t -> t.issuedAt().isAfter(first.issuedAt())));
        Token next = wechat.issued(QUARTZ).stream().filter(t -> t.issuedAt().isAfter(first.issuedAt()))
                .findFirst().orElseThrow();
        assertThat(next.issuedAt()).isBefore(first.expiresAt());
        assertThat(wechat.tokenCalls(QUARTZ)).filteredOn(c -> next.value().equals(c.issued()))
                .allSatisfy(c -> assertThat(c.force()).isFalse());
        assertThat(wechat.sendsTo(u)).hasSize(1);

        shipped("sm-quartz-2", QUARTZ, u, "QUARTZ0002", "SF7000000002");
        await().atMost(60, TimeUnit.SECONDS).until(() -> delivered(u).size() == 2);
        assertThat(wechat.sendsTo(u)).extracting(Send::errcode).containsExactly(0, 0);
        assertThat(wechat.sendsTo(u).get(1).token()).isNotEqualTo(first.value());
        assertThat(wechat.sends()).filteredOn(s -> QUARTZ.equals(s.appId())).extracting(Send::errcode).containsOnly(0);
    }

    @Test
    @Order(12)
    void refusedAppSecretPausesTheDestinationLoudlyDeadLettersNothingAndRecoversOnceFixed() {
        String u = "oBad1";
        shipped("sm-bad-1", BAD, u, "BADSECRET1", "SF8000000001");
        await().atMost(60, TimeUnit.SECONDS).until(() -> !wechat.tokenCalls(BAD).isEmpty());
        assertThat(wechat.tokenCalls(BAD).get(0).errcode()).isEqualTo(40125);
        await().atMost(30, TimeUnit.SECONDS).until(SubscribeMessageIT::paused);
        String variable = "MPHUB_WECHAT_APPS_" + BAD.toUpperCase() + "_SECRET";
        assertThat(logs.lines()).anySatisfy(l -> assertThat(l).startsWith("ERROR").contains("40125").contains(variable));

        wechat.secret(BAD, hubSecrets.get(BAD)); // the administrator set the AppSecret the hub has
        await().atMost(60, TimeUnit.SECONDS).until(() -> delivered(u).size() == 1);
        List<TokenCall> calls = wechat.tokenCalls(BAD);
        assertThat(calls).extracting(TokenCall::errcode).containsExactly(40125, 0);
        // One refused call per window, not one per attempt or per message.
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at())).isGreaterThanOrEqualTo(REJECTED_RETRY);
        assertThat(deadLetter("sm-bad-1")).isEmpty();
    }

    @Test
    @Order(13)
    void dailyQuotaPausesTheDestinationUntilMidnightInBeijing() throws Exception {
        String u = "oDaily1";
        String later = "oDaily2";
        double waits = metric("quota_wait", "errcode_45009");
        wechat.script(u, 45009);
        Instant midnight = OffsetDateTime.ofInstant(clock.instant(), BEIJING).toLocalDate().plusDays(1)
                .atStartOfDay(BEIJING).toInstant();
        Duration lead = Duration.ofSeconds(12); // well above the longest in-line wait: the destination must pause
        standBefore(midnight, lead);
        shipped("sm-daily-1", MAIN, u, "DAILY00001", "SF9000000001");

        await().atMost(60, TimeUnit.SECONDS).until(() -> !wechat.sendsTo(u).isEmpty());
        await().atMost(30, TimeUnit.SECONDS).until(SubscribeMessageIT::paused);
        shipped("sm-daily-2", MAIN, later, "DAILY00002", "SF9000000002"); // another user: waits for the same window

        await().atMost(60, TimeUnit.SECONDS).until(() -> delivered(u).size() == 1 && delivered(later).size() == 1);
        assertThat(wechat.sendsTo(u)).extracting(Send::errcode).containsExactly(45009, 0);
        assertThat(hubTime(delivered(u).get(0).at())).isAfterOrEqualTo(midnight);
        assertThat(wechat.sendsTo(later)).extracting(Send::errcode).containsExactly(0);
        assertThat(hubTime(delivered(later).get(0).at())).isAfterOrEqualTo(midnight);
        assertThat(metric("quota_wait", "errcode_45009")).isEqualTo(waits + 1);
        assertThat(deadLetter("sm-daily-1")).isEmpty();
    }

    @Test
    @Order(14)
    void noAppSecretOrAccessTokenEverShowsInLogsMetricsOrDeadLetters() throws Exception {
        assertThat(wechat.issued()).hasSizeGreaterThan(5);
        String logText = logs.text();
        String metrics = metricsText();
        String deadLetters = String.join("\n", fixture.kafka.readAll("mp.dlq.notifications")
                .stream().map(r -> r.headers().toString() + new String(r.value(), StandardCharsets.UTF_8)).toList());
        assertThat(logText).contains("access token of app " + MAIN + " fetched");
        for (String secret : hubSecrets.values()) {
            assertThat(logText).doesNotContain(secret);
            assertThat(metrics).doesNotContain(secret);
        }
        for (Token token : wechat.issued()) {
            assertThat(logText).doesNotContain(token.value());
            assertThat(metrics).doesNotContain(token.value());
            assertThat(deadLetters).doesNotContain(token.value());
        }
    }

    // --- helpers ---

    private static String shipped(String id, String app, String user, String order, String waybill) {
        String data = "{\"appId\":\"" + app + "\",\"orderId\":\"" + order + "\",\"openId\":\"" + user + "\","
                + "\"carrier\":\"shunfeng\",\"waybillNo\":\"" + waybill + "\",\"receiverPhone\":\"13800138000\"}";
        String event = Events.structured(id, "mp.order.shipped", user, data);
        fixture.kafka.publish("mp.events.order", user, event);
        return event;
    }

    /** As the hub publishes it on mp.results after a verified Kuaidi100 push (ingest reads mp.results too). */
    private static void publishLogistics(String id, String app, String user, String order, String waybill, String time,
            String context) {
        String data = "{\"appId\":\"" + app + "\",\"orderId\":\"" + order + "\",\"openId\":\"" + user + "\","
                + "\"carrier\":\"shunfeng\",\"waybillNo\":\"" + waybill + "\",\"state\":\"0\",\"status\":\"polling\","
                + "\"latest\":{\"time\":\"" + time + "\",\"context\":\"" + context + "\"}}";
        fixture.kafka.publish("mp.results", user, Events.structured(id, "mp.logistics.updated", user, data)
                .replace("/miniprogram/" + Events.APP, "/mphub"));
    }

    private static List<Send> delivered(String touser) {
        return wechat.sendsTo(touser).stream().filter(s -> s.errcode() == 0).toList();
    }

    /** The next instant {@code lead} or more away at which the hub's clock crosses a whole {@code unit}. */
    private static Instant nextBoundary(ChronoUnit unit, Duration lead) {
        Instant boundary = clock.instant().truncatedTo(unit).plus(1, unit);
        return boundary.isBefore(clock.instant().plus(lead)) ? boundary.plus(1, unit) : boundary;
    }

    /** Moves the hub's clock forward so that {@code boundary} is {@code lead} away. */
    private static void standBefore(Instant boundary, Duration lead) {
        Instant target = boundary.minus(lead);
        assertThat(target).as("the hub's clock only moves forward").isAfterOrEqualTo(clock.instant());
        clock.set(target);
    }

    /** What the hub's clock read when the sandbox saw something happen. */
    private static Instant hubTime(Instant real) {
        return real.plus(clock.offset());
    }

    private static boolean paused() {
        return ServiceHelper.isSuspended(fixture.hub.camel().getRoute("deliver-notifications").getConsumer());
    }

    private static Optional<ConsumerRecord<String, byte[]>> deadLetter(String id) {
        return fixture.kafka.readAll("mp.dlq.notifications").stream()
                .filter(r -> id.equals(header(r, "ce_id"))).findFirst();
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(String id) {
        await().atMost(60, TimeUnit.SECONDS).until(() -> deadLetter(id).isPresent());
        return deadLetter(id).orElseThrow();
    }

    private static String metricsText() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** mphub.delivery.attempts of destination notifications with this outcome and reason, as /metrics shows it. */
    private static double metric(String outcome, String reason) throws IOException, InterruptedException {
        String labels = "destination=\"notifications\",outcome=\"" + outcome + "\",reason=\"" + reason + "\"";
        return metricsText().lines().filter(l -> l.startsWith("mphub_delivery_attempts_total{") && l.contains(labels))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
