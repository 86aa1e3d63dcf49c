package io.mphub.provider.wechat;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.event.Results;
import io.mphub.kafka.JobLedger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analysis job ({@code routes/jobs.camel.yaml} calls {@link #run} as bean {@value WeChatProvider#ANALYSIS_BEAN}):
 * for every configured mini program and every {@link AnalysisApi}, the days not pulled yet up to yesterday (Beijing),
 * within the catch-up window ({@link AnalysisDays}), each answer published on {@code mp.results} as one
 * {@code mp.analysis.<name>} event.
 * <p>
 * What was pulled is kept in Kafka ({@link JobLedger}, keys {@code datacube/<appId>/<name>} → the last day done), and
 * written with the events of each app's day in one transaction: a restart, or another replica, goes on from there, and
 * never publishes a day twice. Replicas run the same schedule: a run fences the one before it, so when two fire together
 * the later one goes on and the earlier one stops at its next commit; the calls it made for that one day are the only
 * ones made twice, and their events, had both been published, would carry the same id.
 */
public final class AnalysisJob {

    static final String JOB = "datacube";
    private static final Logger LOG = LoggerFactory.getLogger(AnalysisJob.class);
    /** How long a run waits for Kafka to begin (fence, read the progress). */
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    /**
     * What one run did.
     *
     * @param published      events published
     * @param dateRefused    {@code appId/name/day} skipped for good (61501)
     * @param leftForNextRun API-days due but not pulled (quota, other errcodes, no token, WeChat unreachable)
     * @param beyond         days missed before the catch-up window, not pulled (per app, summed over the apps)
     */
    public record Report(LocalDate latest, int published, List<String> dateRefused, int leftForNextRun, long beyond,
            boolean fenced, String problem) {
    }

    private final boolean enabled;
    private final List<String> appIds;
    private final DatacubeClient client;
    private final JobLedger ledger;
    private final Results results;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final int catchUpDays;
    private final MeterRegistry metrics;
    /** Refusals already logged, {@code app/name/outcome}: logged again only once the API has answered well since. */
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    /** @param enabled {@code mphub.wechat.analysis.enabled}: when false, a run does nothing */
    AnalysisJob(boolean enabled, List<String> appIds, DatacubeClient client, JobLedger ledger, Results results,
            ObjectMapper mapper, Clock clock, int catchUpDays, MeterRegistry metrics) {
        this.enabled = enabled;
        this.appIds = List.copyOf(appIds);
        this.client = client;
        this.ledger = ledger;
        this.results = results;
        this.mapper = mapper;
        this.clock = clock;
        this.catchUpDays = catchUpDays;
        this.metrics = metrics;
    }

    /** One run: pulls what is missing, then says what it did in one log line. Null when the job is not enabled. */
    public Report run() {
        if (!enabled) {
            return null;
        }
        LocalDate latest = AnalysisDays.latest(clock.instant());
        Tally tally = new Tally();
        try (JobLedger.Run run = ledger.begin(JOB, KAFKA_TIMEOUT)) {
            Map<String, String> state = run.state();
            for (String appId : appIds) {
                pull(run, state, appId, latest, tally);
            }
        } catch (JobLedger.Fenced e) {
            tally.fenced = true;
        } catch (KafkaException e) {
            tally.problem = "the progress in " + JobLedger.TOPIC + " could not be read or written (" + e.getMessage()
                    + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tally.problem = "stopped: the hub is stopping";
        }
        Report report = new Report(latest, tally.published, List.copyOf(tally.dateRefused), tally.left, tally.beyond,
                tally.fenced, tally.problem);
        log(report);
        return report;
    }

    /** One app: each day in turn, one transaction per day with its events and progress. */
    private void pull(JobLedger.Run run, Map<String, String> state, String appId, LocalDate latest, Tally tally)
            throws JobLedger.Fenced, InterruptedException {
        Map<AnalysisApi, List<LocalDate>> due = new EnumMap<>(AnalysisApi.class);
        TreeSet<LocalDate> days = new TreeSet<>();
        long beyond = 0;
        for (AnalysisApi api : AnalysisApi.values()) {
            Optional<LocalDate> last = Optional.ofNullable(state.get(api.progressKey(appId))).map(LocalDate::parse);
            AnalysisDays.Window window = AnalysisDays.window(last, latest, catchUpDays);
            beyond = Math.max(beyond, window.beyond());
            due.put(api, window.days());
            days.addAll(window.days());
        }
        tally.beyond += beyond;
        Set<AnalysisApi> stopped = EnumSet.noneOf(AnalysisApi.class);
        int done = 0;
        for (LocalDate day : days) {
            List<ProducerRecord<String, byte[]>> events = new ArrayList<>();
            Map<String, String> progress = new LinkedHashMap<>();
            List<String> refused = new ArrayList<>();
            boolean appStopped = false;
            for (AnalysisApi api : AnalysisApi.values()) {
                if (stopped.contains(api) || !due.get(api).contains(day)) {
                    continue;
                }
                AnalysisAnswers.Answer answer;
                try {
                    answer = client.pull(appId, api, day);
                } catch (TokenException e) {
                    count(api, "no_token"); // AccessTokens has logged why
                    appStopped = true;
                    break;
                }
                count(api, answer.outcome());
                switch (answer.meaning()) {
                    case FIGURES -> {
                        ObjectNode data = mapper.createObjectNode().put("appId", appId).put("date", day.toString())
                                .put("api", api.api());
                        data.set("answer", answer.figures());
                        events.add(results.record(api.eventId(appId, day), api.eventType(), appId, null, data));
                        logged.removeIf(k -> k.startsWith(appId + "/" + api.title() + "/"));
                    }
                    case DATE_REFUSED -> refused.add(appId + "/" + api.title() + "/" + day);
                    case UNAVAILABLE -> {
                        // The network or WeChat is down: the other APIs would fail alike.
                        once(appId, api, answer, day);
                        appStopped = true;
                    }
                    default -> { // quota, another errcode, a token still refused: this API waits for the next run
                        once(appId, api, answer, day);
                        stopped.add(api);
                    }
                }
                if (appStopped) {
                    break;
                }
                if (answer.marksDay()) {
                    progress.put(api.progressKey(appId), day.toString());
                }
            }
            if (!progress.isEmpty()) {
                run.commit(events, progress);
                tally.published += events.size();
                tally.dateRefused.addAll(refused);
                done += progress.size();
            }
            if (appStopped) {
                break;
            }
        }
        tally.left += due.values().stream().mapToInt(List::size).sum() - done; // asked again at the next run
    }

    /** A refusal logged the first time it happens for this app and API, not at every run while it lasts. */
    private void once(String appId, AnalysisApi api, AnalysisAnswers.Answer answer, LocalDate day) {
        if (logged.add(appId + "/" + api.title() + "/" + answer.outcome())) {
            LOG.warn("datacube {} of app {} for {}: WeChat gave {}; asked again at the next run (said once while it"
                    + " lasts)", api.api(), appId, day, answer.said());
        }
    }

    private void count(AnalysisApi api, String outcome) {
        Counter.builder("mphub.wechat.analysis.pulls")
                .description("datacube calls of the analysis job by API and outcome (ok, date_refused, quota,"
                        + " errcode_<n>, token_invalid, no_token, unavailable)")
                .tags("api", api.title(), "outcome", outcome).register(metrics).increment();
    }

    private void log(Report r) {
        String what = "datacube pull up to " + r.latest() + " (Beijing) for " + appIds.size() + " app(s): "
                + r.published() + " published, " + r.dateRefused().size() + " skipped for good (61501"
                + (r.dateRefused().isEmpty() ? "" : ": " + abbreviated(r.dateRefused())) + "), " + r.leftForNextRun()
                + " left for the next run"
                + (r.beyond() == 0 ? "" : ", " + r.beyond() + " day(s) missed beyond the " + catchUpDays
                        + "-day catch-up window not pulled");
        if (r.problem() != null) {
            LOG.warn("{}; {}; the next run goes on from what was committed", what, r.problem());
        } else if (r.fenced()) {
            LOG.info("{}; stopped: a later run (another replica's) goes on from here", what);
        } else if (r.leftForNextRun() > 0) {
            LOG.warn("{}", what);
        } else {
            LOG.info("{}", what);
        }
    }

    private static String abbreviated(List<String> items) {
        return items.size() <= 6 ? String.join(", ", items)
                : String.join(", ", items.subList(0, 6)) + " and " + (items.size() - 6) + " more";
    }

    private static final class Tally {
        int published;
        final List<String> dateRefused = new ArrayList<>();
        int left;
        long beyond;
        boolean fenced;
        String problem;
    }
}
