package io.mphub.provider.wechat;

import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.mphub.config.AllowedHosts;
import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import org.quartz.CronExpression;

/**
 * The mini programs the hub acts for ({@code mphub.wechat.*}): WeChat's API base URL, the AppIDs and each app's
 * AppSecret, and how the shared access tokens are renewed. Used by every WeChat kind; the token job
 * (routes/jobs.camel.yaml) runs whatever the destinations' kinds.
 *
 * @param secrets each app's AppSecret, by AppID
 */
public record WeChatSettings(URI apiUrl, Map<String, Secret> secrets, Duration refreshMargin, Duration rejectedRetry,
        Duration timeout) {

    static final String DEFAULT_API_URL = "https://api.weixin.qq.com";
    private static final Pattern APP_ID = Pattern.compile("wx[0-9a-f]{16}");
    private static final Pattern APP_SECRET = Pattern.compile("[0-9a-fA-F]{32}");

    public static final Setting<URI> API_URL = Setting.url("mphub.wechat.api-url")
            .defaultValue(URI.create(DEFAULT_API_URL)).fix("use " + DEFAULT_API_URL + ", or a sandbox's base URL")
            .description("WeChat's API base URL, for access tokens (stable_token). Its host must be on"
                    + " mphub.security.allowed-hosts, and every wechat-subscribe-message destination's URL on the same"
                    + " host and port (its messages carry these tokens in their query).");
    // Each AppID is checked on its own (appIds, below), so that a mistyped one does not hide the others' secrets.
    public static final Setting<List<String>> APP_IDS = Setting.list("mphub.wechat.app-ids")
            .fix("set MPHUB_WECHAT_APP_IDS to your AppIDs from the admin console, comma-separated: wx followed by 16"
                    + " lower-case hex digits")
            .description("The mini programs the hub acts for: AppIDs, comma-separated. Each needs its AppSecret."
                    + " Required by the WeChat kinds.");
    public static final Setting<Secret> APP_SECRET_OF = Setting.secret("mphub.wechat.apps.<name>.secret")
            .check(s -> APP_SECRET.matcher(s.value()).matches(), "is not 32 hex digits")
            .fix("copy the AppSecret itself, not the AppID or a token (admin console: 开发管理 → 开发设置), from the"
                    + " environment or the secrets file, never routes/")
            .description("The AppSecret of the app whose AppID is <name> (environment variable with the AppID in upper"
                    + " case, e.g. MPHUB_WECHAT_APPS_WX1234567890ABCDEF_SECRET).");
    public static final Setting<Duration> REFRESH_MARGIN = Setting.millis("mphub.wechat.token.refresh-margin-ms")
            .defaultValue(Duration.ofMinutes(5)).range(Duration.ofMillis(1), Duration.ofHours(1))
            .fix("keep the default 300000: WeChat renews a token only within its last 5 minutes")
            .description("The token job renews each app's access token that expires within this margin. WeChat hands"
                    + " out a new token only in the last 5 minutes of the old one (both work until the old one"
                    + " expires), so a larger margin only costs calls that return the same token.");
    public static final Setting<String> REFRESH_CRON = Setting.text("mphub.wechat.token.refresh-cron")
            .defaultValue("0 * * * * ?").check(WeChatSettings::cron, "is not a Quartz cron expression")
            .fix("use six or seven fields, seconds first, e.g. the default '0 * * * * ?' (every minute)")
            .description("When the token job runs: a Quartz cron expression, with seconds (here: every minute). Checked"
                    + " whatever the destinations' kinds, since the job always runs.");
    public static final Setting<Duration> REJECTED_RETRY = Setting.millis("mphub.wechat.token.rejected-retry-ms")
            .defaultValue(Duration.ofMinutes(10)).check(d -> !d.isZero(), "must be above 0")
            .description("After WeChat refuses an app's credentials (40013 bad AppID, 40125 bad AppSecret, 40164 IP not"
                    + " allowed, 89501/89503/89506/89507 IP to be confirmed), no token call is made for that app for this"
                    + " long: its messages wait (the destination pauses, nothing is dead-lettered) and each refusal is"
                    + " logged as an error naming the setting.");
    public static final Setting<Duration> TIMEOUT = Setting.millis("mphub.wechat.token.timeout-ms")
            .defaultValue(Duration.ofSeconds(5)).check(d -> !d.isZero(), "must be above 0")
            .description("Timeout of one stable_token call.");

    public static final Setting<Boolean> ANALYSIS_ENABLED = Setting.flag("mphub.wechat.analysis.enabled")
            .defaultValue(false)
            .fix("true or false; true needs mphub.wechat.app-ids and each app's AppSecret")
            .description("Whether the analysis job pulls WeChat's own analytics (datacube) of every app in"
                    + " mphub.wechat.app-ids each day and publishes them on mp.results as mp.analysis.* events. Needs"
                    + " the apps and their AppSecrets (checked at start-up when true). Off by default, so that the hub"
                    + " runs without WeChat credentials.");
    public static final Setting<String> ANALYSIS_CRON = Setting.text("mphub.wechat.analysis.cron")
            .defaultValue("0 0 12 * * ?").check(WeChatSettings::cron, "is not a Quartz cron expression")
            .fix("use six or seven fields, seconds first, e.g. the default '0 0 12 * * ?' (every day at 12:00 Beijing"
                    + " time)")
            .description("When the analysis job runs: a Quartz cron expression, with seconds, in Beijing time (here:"
                    + " every day at 12:00). WeChat serves a day's figures from the next day on. Checked whatever"
                    + " mphub.wechat.analysis.enabled says, since the job's route is always there.");
    public static final Setting<Integer> ANALYSIS_CATCH_UP_DAYS = Setting.integer("mphub.wechat.analysis.catch-up-days")
            .defaultValue(7).range(1, 30)
            .fix("use a number of days from 1 to 30, e.g. the default 7")
            .description("After the hub was down (or the job failed), how many days back up to yesterday the analysis"
                    + " job catches up on, from 1 to 30. Days missed before that are not pulled (the run's log line"
                    + " says how many). A first run pulls yesterday only.");
    public static final Setting<Duration> ANALYSIS_TIMEOUT = Setting.millis("mphub.wechat.analysis.timeout-ms")
            .defaultValue(Duration.ofSeconds(10)).check(d -> !d.isZero(), "must be above 0")
            .description("Timeout of one datacube call of the analysis job; a call that times out is made again at the"
                    + " next run.");

    public static final List<Setting<?>> ALL = List.of(API_URL, APP_IDS, APP_SECRET_OF, REFRESH_MARGIN, REFRESH_CRON,
            REJECTED_RETRY, TIMEOUT, ANALYSIS_ENABLED, ANALYSIS_CRON, ANALYSIS_CATCH_UP_DAYS, ANALYSIS_TIMEOUT);

    /** The analysis job's own settings ({@code mphub.wechat.analysis.*}). */
    record Analysis(boolean enabled, int catchUpDays, Duration timeout) {

        /** Always read and checked: the job's route is always there, its schedule must be sound. */
        static Analysis read(Settings.Reader settings) {
            settings.get(ANALYSIS_CRON);
            return new Analysis(settings.get(ANALYSIS_ENABLED), settings.get(ANALYSIS_CATCH_UP_DAYS),
                    settings.get(ANALYSIS_TIMEOUT));
        }
    }

    /**
     * Every app and its secret, the API URL on an allowed host, the token job's settings: what a WeChat kind needs.
     * Problems go to the reader.
     */
    static Optional<WeChatSettings> read(Settings.Reader settings, AllowedHosts allowed) {
        Settings.Reader mine = settings.section();
        Optional<URI> apiUrl = allowed.url(mine, API_URL);
        List<String> ids = appIds(mine, mine.require(APP_IDS, "no mini program is configured, and WeChat's APIs need"
                + " one").orElse(List.of()));
        Map<String, Secret> secrets = new LinkedHashMap<>();
        for (String id : ids) {
            mine.require(APP_SECRET_OF.forName(id), "app " + id + " has no AppSecret")
                    .ifPresent(secret -> secrets.put(id, secret));
        }
        Duration margin = mine.get(REFRESH_MARGIN);
        Duration rejected = mine.get(REJECTED_RETRY);
        Duration timeout = mine.get(TIMEOUT);
        mine.get(REFRESH_CRON);
        return mine.ok() ? Optional.of(new WeChatSettings(apiUrl.orElseThrow(), secrets, margin, rejected, timeout))
                : Optional.empty();
    }

    /** The well-formed AppIDs of {@code listed}; each other one is a problem naming it. */
    static List<String> appIds(Settings.Reader settings, List<String> listed) {
        List<String> bad = listed.stream().filter(id -> !APP_ID.matcher(id).matches()).toList();
        if (!bad.isEmpty()) {
            settings.problem(APP_IDS, bad.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", "))
                    + " is not a mini program's AppID");
        }
        return listed.stream().filter(id -> APP_ID.matcher(id).matches()).toList();
    }

    /**
     * What the token job needs when no WeChat kind is configured: whatever is set and sound, nothing required (the job
     * then renews the tokens of the apps that have secrets, usually none). Only the job's schedule is checked: its route
     * always starts, and a bad expression would stop the hub with Quartz's own error, naming no setting.
     */
    static WeChatSettings readForJobOnly(Settings.Reader settings) {
        settings.get(REFRESH_CRON);
        Settings.Reader lenient = settings.lenient();
        Map<String, Secret> secrets = new LinkedHashMap<>();
        for (String id : appIds(lenient, lenient.optional(APP_IDS).orElse(List.of()))) {
            lenient.optional(APP_SECRET_OF.forName(id)).ifPresent(secret -> secrets.put(id, secret));
        }
        return new WeChatSettings(lenient.get(API_URL), secrets, lenient.get(REFRESH_MARGIN),
                lenient.get(REJECTED_RETRY), lenient.get(TIMEOUT));
    }

    /**
     * A URL's scheme, host and port ({@code https://api.weixin.qq.com:443}), the port filled in from the scheme.
     */
    static String origin(URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        int port = url.getPort() != -1 ? url.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + url.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static boolean cron(String expression) {
        try {
            // camel-quartz reads '+' as a space, as in a URI.
            CronExpression.validateExpression(expression.replace('+', ' '));
            return true;
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }
}
