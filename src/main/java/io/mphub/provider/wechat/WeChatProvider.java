package io.mphub.provider.wechat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.deliver.DeliverySettings;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Kind;
import io.mphub.provider.Endpoints;
import io.mphub.provider.Provider;
import io.mphub.provider.ProviderContext;

/**
 * WeChat's mini-program server APIs: the access tokens of the configured mini programs (one per app, shared by every
 * destination, renewed ahead of expiry by the token job routes/jobs.camel.yaml calls as bean {@code wechatTokens}),
 * kinds {@code wechat-subscribe-message} and {@code wechat-cloud-function}, and the analysis job (bean
 * {@code wechatAnalysis}: WeChat's own analytics, pulled daily, see {@link AnalysisJob}).
 */
public final class WeChatProvider implements Provider {

    public static final String SUBSCRIBE_MESSAGE = "wechat-subscribe-message";
    public static final String CLOUD_FUNCTION = "wechat-cloud-function";
    /** The bean routes/jobs.camel.yaml's token job calls. */
    public static final String TOKENS_BEAN = "wechatTokens";
    /** The bean routes/jobs.camel.yaml's analysis job calls. */
    public static final String ANALYSIS_BEAN = "wechatAnalysis";

    public static final Setting<String> TEMPLATES = Setting.text("mphub.wechat.subscribe-messages")
            .description("Kind wechat-subscribe-message: the file of templates and values per event type. Not set:"
                    + " subscribe-messages.yaml in mphub.routes.dir.");
    public static final Setting<String> CLOUD_FUNCTIONS = Setting.text("mphub.wechat.cloud-functions")
            .description("Kind wechat-cloud-function: the file naming the cloud environment of each app and the cloud"
                    + " function each event type invokes. Not set: cloud-functions.yaml in mphub.routes.dir.");

    @Override
    public String title() {
        return "WeChat (mini-program server APIs: access tokens, subscribe messages, analytics)";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(WeChatSettings.API_URL, WeChatSettings.APP_IDS, WeChatSettings.APP_SECRET_OF,
                WeChatSettings.REFRESH_MARGIN, WeChatSettings.REFRESH_CRON, WeChatSettings.REJECTED_RETRY,
                WeChatSettings.TIMEOUT, TEMPLATES, CLOUD_FUNCTIONS, WeChatSettings.ANALYSIS_ENABLED,
                WeChatSettings.ANALYSIS_CRON, WeChatSettings.ANALYSIS_CATCH_UP_DAYS, WeChatSettings.ANALYSIS_TIMEOUT);
    }

    @Override
    public List<KindName> kinds() {
        return List.of(new KindName(SUBSCRIBE_MESSAGE, Optional.of(URI.create(WeChatSettings.DEFAULT_API_URL)))
                .needing(Map.of("data.openId", "the subscribe message's touser: WeChat delivers to this openid")),
                new KindName(CLOUD_FUNCTION, Optional.of(URI.create(WeChatSettings.DEFAULT_API_URL)))
                        .needing(Map.of("data.appId", "the mini program whose cloud environment and access token the"
                                + " function is invoked with")));
    }

    @Override
    public Configured configure(Settings.Reader settings, List<Destination> destinations, Setup setup) {
        WeChatSettings.Analysis analysis = WeChatSettings.Analysis.read(settings);
        // The analysis job needs every app and its secret, as a kind does.
        Optional<WeChatSettings> apps = destinations.isEmpty() && !analysis.enabled()
                ? Optional.of(WeChatSettings.readForJobOnly(settings))
                : WeChatSettings.read(settings, setup.allowedHosts());
        Optional<MessageTemplates> templates = Optional.empty();
        Optional<CloudFunctions> functions = Optional.empty();
        if (!destinations.isEmpty()) {
            apps.ifPresent(a -> destinations.forEach(d -> sameHostAsTokens(settings, d, a.apiUrl())));
            // The apps as listed, even when something else about them is wrong: a file is checked against them.
            Set<String> listed = apps.map(a -> a.secrets().keySet()).orElseGet(() -> Set.copyOf(WeChatSettings.appIds(
                    settings.lenient(), settings.lenient().optional(WeChatSettings.APP_IDS).orElse(List.of()))));
            if (destinations.stream().anyMatch(d -> d.kind().equals(SUBSCRIBE_MESSAGE))) {
                templates = eventFields(setup).flatMap(fields -> load(settings, TEMPLATES,
                        setup.routesDir().resolve("subscribe-messages.yaml"),
                        (file, problems) -> MessageTemplatesFile.load(file, fields, listed, problems)));
            }
            if (destinations.stream().anyMatch(d -> d.kind().equals(CLOUD_FUNCTION))) {
                functions = eventFields(setup).flatMap(fields -> load(settings, CLOUD_FUNCTIONS,
                        setup.routesDir().resolve("cloud-functions.yaml"),
                        (file, problems) -> CloudFunctionsFile.load(file, fields, listed, problems)));
            }
        }
        Optional<MessageTemplates> loaded = templates;
        Optional<CloudFunctions> cloud = functions;
        return new Configured() {
            private AccessTokens tokens;

            private synchronized AccessTokens tokens(ProviderContext context) {
                if (tokens == null) {
                    WeChatSettings a = apps.orElseThrow();
                    tokens = new AccessTokens(a.secrets().keySet(), new StableTokenClient(Endpoints.client(a.timeout()),
                            a.apiUrl(), a.secrets(), context.mapper(), context.clock(), a.timeout()), context.clock(),
                            a.refreshMargin(), a.rejectedRetry(), context.metrics());
                }
                return tokens;
            }

            @Override
            public Kind kind(Destination destination, ProviderContext context) {
                WeChatAnswers answers = new WeChatAnswers(new QuotaWindows(context.clock()));
                WeChatApi api = new WeChatApi(tokens(context), context.call(), context.mapper());
                if (destination.kind().equals(CLOUD_FUNCTION)) {
                    return new CloudFunctionKind(destination, cloud.orElseThrow(), api, answers, context.results(),
                            context.mapper());
                }
                return new SubscribeMessageKind(destination, loaded.orElseThrow(), api, answers, context.mapper());
            }

            @Override
            public Map<String, Object> beans(ProviderContext context) {
                WeChatSettings a = apps.orElseThrow();
                // Bound whether or not it is enabled: its route is always there (a run does nothing unless enabled).
                AnalysisJob job = new AnalysisJob(analysis.enabled(), List.copyOf(a.secrets().keySet()), new DatacubeClient(
                        Endpoints.client(analysis.timeout()), a.apiUrl(), tokens(context), context.mapper(),
                        analysis.timeout()), context.jobs(), context.results(), context.mapper(), context.clock(),
                        analysis.catchUpDays(), context.metrics());
                return Map.of(TOKENS_BEAN, tokens(context), ANALYSIS_BEAN, job);
            }
        };
    }

    /**
     * Tokens come from {@code mphub.wechat.api-url} and travel in the query of every message to the destination's
     * URL: pointing only one of them at a sandbox or proxy would hand real access tokens to another host. Refused
     * rather than derived, so that each setting keeps meaning what it says; a path (a proxy's prefix) may differ.
     */
    private static void sameHostAsTokens(Settings.Reader settings, Destination destination, URI apiUrl) {
        if (destination.url() == null) {
            return; // its own URL is the problem, already said
        }
        String sends = WeChatSettings.origin(destination.url());
        String tokens = WeChatSettings.origin(apiUrl);
        if (!sends.equals(tokens)) {
            Setting<URI> url = DeliverySettings.URL.forName(destination.name());
            settings.problem(url, "destination '" + destination.name() + "' would send the access tokens of "
                    + WeChatSettings.API_URL.key() + " (" + WeChatSettings.API_URL.envName() + ", " + tokens
                    + ") in the query of every message to another host, " + sends,
                    "point " + url.envName() + " and " + WeChatSettings.API_URL.envName() + " at the same host and"
                            + " port: " + WeChatSettings.DEFAULT_API_URL + " (leave both unset), or both at your sandbox"
                            + " or proxy");
        }
    }

    /** The contract's event types and fields, which the files are checked against. */
    private static Optional<EventFields> eventFields(Setup setup) {
        try {
            return Optional.of(EventFields.load(setup.schemasDir(), new ObjectMapper()));
        } catch (IOException | UncheckedIOException e) {
            // The schemas directory itself is checked when the contract loads; nothing to name here.
            return Optional.empty();
        }
    }

    /** The file {@code setting} names, or {@code defaultFile}, read by {@code reader}: every problem at its line. */
    private static <T> Optional<T> load(Settings.Reader settings, Setting<String> setting, Path defaultFile,
            BiFunction<Path, List<Problem>, Optional<T>> reader) {
        Path file = settings.optional(setting).map(Path::of).orElse(defaultFile);
        List<Problem> problems = new ArrayList<>();
        Optional<T> read = reader.apply(file, problems);
        problems.forEach(settings::problem);
        return read;
    }
}
