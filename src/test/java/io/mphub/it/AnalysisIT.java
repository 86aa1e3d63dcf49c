package io.mphub.it;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.event.EventContract;
import io.mphub.provider.wechat.AnalysisJob;
import io.mphub.testing.Contracts;
import io.mphub.testing.LogCapture;
import io.mphub.testing.TestClock;
import io.mphub.testing.TestKafka;
import io.mphub.testing.WeChatSandbox;
import io.mphub.testing.WeChatSandbox.DatacubeCall;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WeChat's own analytics pulled by the job wechat-analysis-pull, end to end: real broker, real hub, and a local WeChat
 * ({@link WeChatSandbox}) that checks each token, body and date range the way WeChat does. The test runs the job
 * itself (the bean the route calls), on a {@link TestClock} it moves by days; the cron is set to a year that never
 * comes. What was pulled lives in Kafka only, so a new hub on the same broker goes on from there.
 * <p>
 * Once the clock stands days ahead, the analytics receiver refuses the hub's webhook signatures (Standard Webhooks:
 * 5 minutes of skew at most): delivery to it is checked on the first day only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnalysisIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final String APP = "wx00000000000da7a1";
    private static final String SECRET = WeChatSandbox.newSecret();
    private static final List<String> NAMES = List.of("daily_summary", "daily_visit_trend", "daily_retention",
            "visit_distribution", "visit_page", "user_portrait");
    private static final int CATCH_UP_DAYS = 3;

    private static final TestClock clock = TestClock.system();
    @RegisterExtension
    static final HubFixture fixture = new HubFixture();
    private static WeChatSandbox wechat;
    private static EventContract contract;

    @BeforeAll
    static void start() throws Exception {
        contract = Contracts.load(JSON);
        wechat = fixture.closing(WeChatSandbox.start()).clock(clock);
        wechat.app(APP, SECRET);
        fixture.startHub(properties(), clock);
    }

    private static Map<String, String> properties() {
        Map<String, String> p = new HashMap<>();
        p.put("mphub.wechat.api-url", wechat.url());
        p.put("mphub.wechat.app-ids", APP);
        p.put("mphub.wechat.apps." + APP + ".secret", SECRET);
        p.put("mphub.wechat.analysis.enabled", "true");
        p.put("mphub.wechat.analysis.cron", "0 0 12 1 1 ? 2099"); // the test runs the job itself
        p.put("mphub.wechat.analysis.catch-up-days", String.valueOf(CATCH_UP_DAYS));
        return p;
    }

    @Test
    @Order(1)
    void oneRunPublishesOneEventPerApiForYesterdayDeliveredToAnalytics() throws Exception {
        LocalDate yesterday = yesterday();
        AnalysisJob.Report report = run();

        assertThat(report.published()).isEqualTo(6);
        assertThat(report.leftForNextRun()).isZero();
        List<DatacubeCall> calls = wechat.datacubeCalls();
        assertThat(calls).hasSize(6).allSatisfy(c -> {
            assertThat(c.appId()).isEqualTo(APP);
            assertThat(c.errcode()).isZero();
            assertThat(c.beginDate()).isEqualTo(yyyymmdd(yesterday));
            assertThat(c.endDate()).isEqualTo(yyyymmdd(yesterday));
        });
        Map<String, JsonNode> events = results();
        assertThat(events.keySet()).containsExactlyInAnyOrderElementsOf(ids(yesterday));
        for (String name : NAMES) {
            JsonNode e = events.get(id(name, yesterday));
            assertThat(e.get("type").asText()).isEqualTo("mp.analysis." + name);
            assertThat(e.get("source").asText()).isEqualTo("/mphub");
            assertThat(e.get("subject").asText()).isEqualTo(APP);
            assertThat(e.at("/data/appId").asText()).isEqualTo(APP);
            assertThat(e.at("/data/date").asText()).isEqualTo(yesterday.toString());
            assertThat(e.at("/data/answer").toString()).doesNotContain("errcode");
            contract.check((ObjectNode) e); // the hub's own events pass its contract
        }
        assertThat(events.get(id("daily_summary", yesterday)).at("/data/answer/list/0/ref_date").asText())
                .isEqualTo(yyyymmdd(yesterday));
        assertThat(events.get(id("user_portrait", yesterday)).at("/data/answer/visit_uv_new/province/0/name").asText())
                .isEqualTo("广东省");

        await().atMost(60, TimeUnit.SECONDS).until(() -> Set.copyOf(fixture.receiver("analytics").delivered())
                .containsAll(ids(yesterday)));
        assertThat(fixture.receiver("analytics").posts()).filteredOn(a -> a.eventIds().stream().anyMatch(ids(yesterday)::contains))
                .allSatisfy(a -> assertThat(a.signatureValid()).isTrue());
    }

    @Test
    @Order(2)
    void aRunAgainTheSameDayPullsAndPublishesNothingAndSaysSoInOneLine() {
        int calls = wechat.datacubeCalls().size();
        int published = results().size();
        LogCapture logs = fixture.logs();
        int lines = logs.lines().size();

        AnalysisJob.Report report = run();

        assertThat(report.published()).isZero();
        assertThat(logs.lines().subList(lines, logs.lines().size())).filteredOn(l -> l.contains("datacube"))
                .singleElement().asString().contains("datacube pull up to " + yesterday() + " (Beijing) for 1 app(s):"
                        + " 0 published, 0 skipped for good (61501), 0 left for the next run");
        assertThat(wechat.datacubeCalls()).hasSize(calls);
        assertThat(resultRecords()).hasSize(published);
    }

    @Test
    @Order(3)
    void aNewHubOnTheSameKafkaDoesNotPullAgain() throws Exception {
        fixture.hub.close();
        fixture.startHub(properties(), clock);
        int calls = wechat.datacubeCalls().size();

        AnalysisJob.Report report = run();

        assertThat(report.published()).isZero();
        assertThat(wechat.datacubeCalls()).hasSize(calls);
    }

    @Test
    @Order(4)
    void missedDaysAreCaughtUpWithinTheWindowOnly() {
        LocalDate before = yesterday();
        clock.advance(Duration.ofDays(5)); // 5 days missed, the window is 3
        LocalDate latest = yesterday();
        int calls = wechat.datacubeCalls().size();

        AnalysisJob.Report report = run();

        List<LocalDate> pulled = List.of(latest.minusDays(2), latest.minusDays(1), latest);
        assertThat(report.published()).isEqualTo(6 * CATCH_UP_DAYS);
        assertThat(report.beyond()).isEqualTo(2); // before+1 and before+2
        assertThat(wechat.datacubeCalls().subList(calls, wechat.datacubeCalls().size()))
                .extracting(DatacubeCall::beginDate).containsOnly(pulled.stream().map(AnalysisIT::yyyymmdd)
                        .toArray(String[]::new));
        Map<String, JsonNode> events = results();
        pulled.forEach(day -> assertThat(events).containsKeys(ids(day).toArray(String[]::new)));
        assertThat(events.keySet()).noneMatch(id -> id.endsWith(yyyymmdd(before.plusDays(1)))
                || id.endsWith(yyyymmdd(before.plusDays(2))));
    }

    @Test
    @Order(5)
    void dailyQuotaLeavesTheDayForTheNextRun() throws Exception {
        clock.advance(Duration.ofDays(1));
        LocalDate day = yesterday();
        wechat.datacubeRefuses("getweanalysisappidvisitpage", 45009);
        double quotas = fixture.hub.metric(pulls("visit_page", "quota"));

        AnalysisJob.Report first = run();

        assertThat(first.published()).isEqualTo(5);
        assertThat(first.leftForNextRun()).isEqualTo(1);
        assertThat(results()).doesNotContainKey(id("visit_page", day)).containsKey(id("daily_summary", day));
        assertThat(fixture.hub.metric(pulls("visit_page", "quota"))).isEqualTo(quotas + 1);

        AnalysisJob.Report still = run(); // the quota is still spent: asked again, left again
        assertThat(still.published()).isZero();
        assertThat(still.leftForNextRun()).isEqualTo(1);

        wechat.datacubeRefuses("getweanalysisappidvisitpage", 0); // the quota is back
        AnalysisJob.Report next = run();
        assertThat(next.published()).isEqualTo(1);
        assertThat(results()).containsKey(id("visit_page", day));
        assertThat(resultRecords()).filteredOn(r -> r.key().equals(APP)).hasSize(results().size()); // no repeats
    }

    @Test
    @Order(6)
    void dateRangeErrorSkipsTheDayForGood() {
        clock.advance(Duration.ofDays(1));
        LocalDate day = yesterday();
        wechat.datacubeRefuses("getweanalysisappiduserportrait", 61501);

        AnalysisJob.Report first = run();

        assertThat(first.published()).isEqualTo(5);
        assertThat(first.dateRefused()).containsExactly(APP + "/user_portrait/" + day);
        assertThat(first.leftForNextRun()).isZero();
        assertThat(results()).doesNotContainKey(id("user_portrait", day));
        long portraitCalls = portraitCalls();

        AnalysisJob.Report again = run();
        assertThat(again.published()).isZero();
        assertThat(again.dateRefused()).isEmpty();
        assertThat(portraitCalls()).isEqualTo(portraitCalls); // not asked again
        wechat.datacubeRefuses("getweanalysisappiduserportrait", 0);
    }

    @Test
    @Order(7)
    void aTokenWeChatNoLongerTakesIsRenewedAndTheDayPulled() {
        clock.advance(Duration.ofDays(1));
        LocalDate day = yesterday();
        int tokenCalls = wechat.tokenCalls(APP).size();
        wechat.rotate(APP); // another server forced a refresh: the hub's token is dead

        AnalysisJob.Report report = run();

        assertThat(report.published()).isEqualTo(6);
        assertThat(results()).containsKeys(ids(day).toArray(String[]::new));
        assertThat(wechat.tokenCalls(APP).subList(tokenCalls, wechat.tokenCalls(APP).size()))
                .noneMatch(WeChatSandbox.TokenCall::force); // normal mode hands out the new token
    }

    @Test
    @Order(8)
    void twoRunsAtOnceNeverPublishADayTwice() throws Exception {
        clock.advance(Duration.ofDays(1));
        LocalDate day = yesterday();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<AnalysisJob.Report>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return run();
            }));
        }
        go.countDown();
        List<AnalysisJob.Report> reports = runs.stream().map(CompletableFuture::join).toList();

        // Whichever order they ran in, the day's six events are published once; a run that lost stopped.
        List<String> dayIds = resultRecords().stream().map(AnalysisIT::id).filter(ids(day)::contains).toList();
        assertThat(dayIds).hasSize(6).doesNotHaveDuplicates();
        assertThat(reports.stream().mapToInt(AnalysisJob.Report::published).sum()).isEqualTo(6);
        assertThat(run().published()).isZero();
    }

    private static AnalysisJob.Report run() {
        return fixture.hub.camel().getRegistry().lookupByNameAndType("wechatAnalysis", AnalysisJob.class).run();
    }

    private static LocalDate yesterday() {
        return Instant.now(clock).atZone(BEIJING).toLocalDate().minusDays(1);
    }

    private static String yyyymmdd(LocalDate day) {
        return DateTimeFormatter.BASIC_ISO_DATE.format(day);
    }

    private static String id(String name, LocalDate day) {
        return "wxanalysis-" + APP + "-" + name + "-" + yyyymmdd(day);
    }

    private static List<String> ids(LocalDate day) {
        return NAMES.stream().map(n -> id(n, day)).toList();
    }

    private static String pulls(String api, String outcome) {
        return "mphub_wechat_analysis_pulls_total{api=\"" + api + "\",outcome=\"" + outcome + "\"}";
    }

    private static long portraitCalls() {
        return wechat.datacubeCalls().stream().filter(c -> c.api().equals("getweanalysisappiduserportrait")).count();
    }

    /** Every mp.analysis.* record on mp.results, as the hub's consumers read it (committed transactions only). */
    private static List<ConsumerRecord<String, byte[]>> resultRecords() {
        return fixture.kafka.readAll("mp.results", "read_committed").stream()
                .filter(r -> id(r).startsWith("wxanalysis-")).toList();
    }

    /** The mp.analysis.* events on mp.results by id (the last of any repeat). */
    private static Map<String, JsonNode> results() {
        return resultRecords().stream().collect(Collectors.toMap(AnalysisIT::id, TestKafka::json, (a, b) -> b));
    }

    private static String id(ConsumerRecord<String, byte[]> r) {
        return TestKafka.json(r).path("id").asText();
    }
}
