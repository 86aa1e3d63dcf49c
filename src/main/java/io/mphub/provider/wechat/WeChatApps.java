package io.mphub.provider.wechat;

import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.config.AllowedHosts;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Secret;
import io.mphub.config.Settings;
import io.mphub.provider.Endpoints;
import org.quartz.CronExpression;

/**
 * The mini programs the hub acts for, as {@code mphub.wechat.*} configures them: WeChat's API base URL, the
 * AppIDs, and each app's AppSecret ({@code mphub.wechat.apps.<appId>.secret}, from the environment or the secrets
 * file). Checked at start-up by every WeChat kind; read once to build the shared {@link AccessTokens}.
 */
public final class WeChatApps {

    public static final String API_URL = "mphub.wechat.api-url";
    public static final String APP_IDS = "mphub.wechat.app-ids";
    public static final String REFRESH_MARGIN = "mphub.wechat.token.refresh-margin-ms";
    public static final String REJECTED_RETRY = "mphub.wechat.token.rejected-retry-ms";
    public static final String TIMEOUT = "mphub.wechat.token.timeout-ms";
    public static final String REFRESH_CRON = "mphub.wechat.token.refresh-cron";
    static final String DEFAULT_REFRESH_CRON = "0 * * * * ?";
    public static final String DEFAULT_API_URL = "https://api.weixin.qq.com";
    /** WeChat renews a token in normal mode only within its last 5 minutes: an earlier call returns the same one. */
    static final long DEFAULT_REFRESH_MARGIN_MS = 300_000;
    static final long DEFAULT_REJECTED_RETRY_MS = 600_000;
    static final long DEFAULT_TIMEOUT_MS = 5_000;
    /** WeChat tokens live at most 7200 s. */
    static final long MAX_REFRESH_MARGIN_MS = 3_600_000;

    private static final Pattern APP_ID = Pattern.compile("wx[0-9a-f]{16}");
    private static final Pattern APP_SECRET = Pattern.compile("[0-9a-fA-F]{32}");

    private WeChatApps() {
    }

    public static String secretKey(String appId) {
        return "mphub.wechat.apps." + appId + ".secret";
    }

    /** Every problem of the WeChat settings, each naming its property, its environment variable and the fix. */
    public static void check(Settings settings, List<Problem> problems) {
        String raw = settings.get(API_URL, DEFAULT_API_URL);
        try {
            URI url = new URI(raw);
            if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme()) || url.getHost() == null) {
                problems.add(Problem.setting(API_URL, "'" + raw + "' is not an http(s) URL",
                        "use " + DEFAULT_API_URL + ", or a sandbox's base URL"));
            } else if (!AllowedHosts.parse(settings.get("mphub.security.allowed-hosts", "")).permits(url.getHost())) {
                problems.add(Problem.setting(API_URL, "host '" + url.getHost() + "' is not on mphub.security.allowed-hosts",
                        "add it to MPHUB_SECURITY_ALLOWED_HOSTS"));
            }
        } catch (URISyntaxException e) {
            problems.add(Problem.setting(API_URL, "the value is not a URL: " + e.getReason(), "use " + DEFAULT_API_URL));
        }
        Set<String> ids = appIds(settings);
        if (ids.isEmpty()) {
            problems.add(Problem.setting(APP_IDS, "no mini program is configured, and WeChat's APIs need one",
                    "set " + Settings.envName(APP_IDS) + " to your AppIDs, comma-separated (wx followed by 16 hex digits)"));
        }
        for (String id : ids) {
            if (!APP_ID.matcher(id).matches()) {
                problems.add(Problem.setting(APP_IDS, "'" + id + "' is not a mini program's AppID",
                        "use the AppID from the admin console: wx followed by 16 lower-case hex digits"));
                continue;
            }
            String key = secretKey(id);
            var secret = settings.get(key);
            if (secret.isEmpty()) {
                problems.add(Problem.setting(key, "app " + id + " has no AppSecret", "set " + Settings.envName(key)
                        + " from the environment or the secrets file, never in routes/ (admin console: 开发管理 → 开发设置)"));
            } else if (!APP_SECRET.matcher(secret.get()).matches()) {
                problems.add(Problem.setting(key, "the AppSecret of app " + id + " is not 32 hex digits",
                        "copy the AppSecret itself, not the AppID or a token"));
            }
        }
        long margin = settings.getLong(REFRESH_MARGIN, DEFAULT_REFRESH_MARGIN_MS);
        if (margin <= 0 || margin > MAX_REFRESH_MARGIN_MS) {
            problems.add(Problem.setting(REFRESH_MARGIN, "the refresh margin must be from 1 ms to 1 hour",
                    "keep the default 300000: WeChat renews a token only within its last 5 minutes"));
        }
        if (settings.getLong(REJECTED_RETRY, DEFAULT_REJECTED_RETRY_MS) <= 0
                || settings.getLong(TIMEOUT, DEFAULT_TIMEOUT_MS) <= 0) {
            problems.add(Problem.setting(REJECTED_RETRY + " / " + TIMEOUT, "must be above 0", "set milliseconds, e.g. 600000 and 5000"));
        }
    }

    /**
     * The token job's schedule ({@code routes/jobs.camel.yaml}). Checked whether or not a WeChat kind is configured:
     * the job's route always starts, and a bad expression would otherwise stop the hub with Quartz's ParseException
     * once the routes start, naming no setting.
     */
    public static void checkTokenJob(Settings settings, List<Problem> problems) {
        String cron = settings.get(REFRESH_CRON, DEFAULT_REFRESH_CRON);
        try {
            // camel-quartz reads '+' as a space, as in a URI.
            CronExpression.validateExpression(cron.replace('+', ' '));
        } catch (ParseException | RuntimeException e) {
            problems.add(Problem.setting(REFRESH_CRON, "'" + cron + "' is not a Quartz cron expression"
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    "use six or seven fields, seconds first, e.g. the default '" + DEFAULT_REFRESH_CRON + "' (every minute)"));
        }
    }

    /**
     * The token cache for every configured app with a secret. Lenient: with no WeChat kind configured the settings
     * were not checked, and an empty cache is what the token job then finds.
     */
    public static AccessTokens tokens(Settings settings, Clock clock, ObjectMapper mapper, MeterRegistry metrics) {
        Map<String, Secret> secrets = new LinkedHashMap<>();
        for (String id : appIds(settings)) {
            settings.get(secretKey(id)).ifPresent(s -> secrets.put(id, new Secret(s)));
        }
        Duration timeout = Duration.ofMillis(settings.getLong(TIMEOUT, DEFAULT_TIMEOUT_MS));
        URI apiUrl = apiUrl(settings);
        return new AccessTokens(secrets.keySet(), new StableTokenClient(Endpoints.client(apiUrl, timeout), apiUrl, secrets, mapper, clock, timeout),
                clock, Duration.ofMillis(settings.getLong(REFRESH_MARGIN, DEFAULT_REFRESH_MARGIN_MS)),
                Duration.ofMillis(settings.getLong(REJECTED_RETRY, DEFAULT_REJECTED_RETRY_MS)), metrics);
    }

    /**
     * A URL's scheme, host and port ({@code https://api.weixin.qq.com:443}), the port filled in from the scheme;
     * empty when it is not an http(s) URL (its own check reports that).
     */
    static Optional<String> origin(String raw) {
        try {
            URI url = new URI(raw.trim());
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
                return Optional.empty();
            }
            int port = url.getPort() != -1 ? url.getPort() : scheme.equals("https") ? 443 : 80;
            return Optional.of(scheme + "://" + url.getHost().toLowerCase(Locale.ROOT) + ":" + port);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static URI apiUrl(Settings settings) {
        try {
            return new URI(settings.get(API_URL, DEFAULT_API_URL));
        } catch (URISyntaxException e) {
            return URI.create(DEFAULT_API_URL); // only when no WeChat kind is configured: check() refuses it otherwise
        }
    }

    static Set<String> appIds(Settings settings) {
        Set<String> ids = new LinkedHashSet<>();
        Arrays.stream(settings.get(APP_IDS, "").split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(ids::add);
        return ids;
    }
}
