package io.mphub.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.mphub.deliver.Destination;
import io.mphub.deliver.RetryPolicy;
import io.mphub.provider.Kind;
import io.mphub.provider.Kinds;
import io.mphub.provider.TencentMapSettings;
import io.mphub.provider.wechat.WeChatApps;

/**
 * Reads and checks the destinations: one per file under {@code routes/destinations/}, each configured by
 * {@code mphub.destinations.<name>.*}, and the enrichers' providers ({@code mphub.tencentmap.*}). Every problem is
 * collected, so one start-up names them all.
 */
public final class HubConfig {

    /** The highest rate a destination may have: the throttle keeps one small object per request a second. */
    public static final int MAX_RATE = 100_000;
    public static final Set<String> THROTTLE_MODES = Set.of("TotalRequests", "ConcurrentRequests");
    /**
     * Twice Kafka's default record limit (1 MiB): a dead letter then keeps the whole of any record a topic at the broker's
     * default limit holds, with room for its error headers.
     */
    public static final int DEFAULT_MAX_RECORD_BYTES = 2 * 1024 * 1024;
    static final int MIN_RECORD_BYTES = 64 * 1024;
    /** Kafka's own ceiling for a request (socket.request.max.bytes, 100 MiB) less room for the request itself. */
    static final int MAX_RECORD_BYTES = 100 * 1024 * 1024 - 64 * 1024;

    /** Compression types Kafka knows; {@code none} and {@code gzip} need no codec in any client (KafkaJS among them). */
    public static final Set<String> COMPRESSIONS = Set.of("none", "gzip", "snappy", "lz4", "zstd");

    private final Map<String, Destination> destinations;
    private final Optional<TencentMapSettings> geocoding;
    private final String compression;
    private final int maxRecordBytes;

    private HubConfig(Map<String, Destination> destinations, Optional<TencentMapSettings> geocoding, String compression,
            int maxRecordBytes) {
        this.destinations = destinations;
        this.geocoding = geocoding;
        this.compression = compression;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The outbox producer's {@code compression.type}: every reader of the hub's topics must decode it. */
    public String compression() {
        return compression;
    }

    /** The largest record the hub writes, and the limit of the topics it creates for its own output. */
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    public Map<String, Destination> destinations() {
        return destinations;
    }

    /** Reverse geocoding's settings; empty when it is off ({@code mphub.tencentmap.key} not set). */
    public Optional<TencentMapSettings> geocoding() {
        return geocoding;
    }

    /**
     * @param demo when true, destinations without a URL and secret are pointed at the built-in sandbox by the
     *             caller, so their absence is not an error here
     */
    public static HubConfig load(Settings settings, RouteFiles routes, boolean demo) {
        List<ConfigurationException.Problem> problems = new ArrayList<>(routes.problems());
        AllowedHosts allowed = AllowedHosts.parse(settings.get("mphub.security.allowed-hosts", ""));
        Map<String, Destination> destinations = new LinkedHashMap<>();
        for (RouteFiles.Found found : routes.destinations()) {
            String name = found.value();
            if (!name.matches("[a-z][a-z0-9-]*")) {
                problems.add(new ConfigurationException.Problem(found.where(), "destination name '" + name
                        + "' is not allowed", "use lower-case letters, digits and '-' (it becomes a topic name)"));
                continue;
            }
            if (destinations.containsKey(name)) {
                problems.add(new ConfigurationException.Problem(found.where(), "destination '" + name
                        + "' is defined twice", "remove one of the files defining it"));
                continue;
            }
            Destination d = destination(settings, name, found.where(), allowed, demo, problems);
            if (d != null) {
                destinations.put(name, d);
            }
        }
        problems.addAll(routeProblems(routes, routes.destinations().stream().map(RouteFiles.Found::value)
                .collect(Collectors.toSet())));
        Optional<TencentMapSettings> geocoding = TencentMapSettings.read(settings, allowed, problems);
        WeChatApps.checkTokenJob(settings, problems); // routes/jobs.camel.yaml runs whatever the destinations' kinds
        String compression = settings.get("mphub.kafka.compression", "none").toLowerCase(Locale.ROOT);
        if (!COMPRESSIONS.contains(compression)) {
            problems.add(problem("mphub.kafka.compression", "unknown compression '" + compression + "'",
                    "use none (every client reads it), gzip (smaller, every client reads it), or lz4, snappy, zstd"
                            + " (KafkaJS needs a codec package for these)"));
        }
        int maxRecordBytes = settings.getInt("mphub.kafka.max-record-bytes", DEFAULT_MAX_RECORD_BYTES);
        if (maxRecordBytes < MIN_RECORD_BYTES || maxRecordBytes > MAX_RECORD_BYTES) {
            problems.add(problem("mphub.kafka.max-record-bytes", "the record limit must be from " + MIN_RECORD_BYTES
                    + " to " + MAX_RECORD_BYTES + " bytes", "set it to e.g. " + DEFAULT_MAX_RECORD_BYTES
                    + " (2 MiB: room for a dead letter of any record a topic at Kafka's default limit holds)"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return new HubConfig(Map.copyOf(destinations), geocoding, compression, maxRecordBytes);
    }

    /**
     * What start-up checks in the route files themselves, and a live reload checks again before it applies an edit:
     * the fan-out table sends only to {@code destinations}, each destination's route is named deliver-<name>, and every
     * throttle mode is one Camel knows.
     */
    public static List<ConfigurationException.Problem> routeProblems(RouteFiles routes, Set<String> destinations) {
        List<ConfigurationException.Problem> problems = new ArrayList<>();
        // A destination file that does not parse defines nothing; its YAML problem is reported, not a follow-on.
        boolean parsed = routes.problems().isEmpty();
        for (RouteFiles.Found target : parsed ? routes.dispatchTargets() : List.<RouteFiles.Found>of()) {
            if (!destinations.contains(target.value())) {
                problems.add(new ConfigurationException.Problem(target.where(),
                        "the fan-out table sends to unknown destination '" + target.value() + "'; known: "
                                + destinations.stream().sorted().collect(Collectors.joining(", ")),
                        "correct the name, or add routes/destinations/" + target.value() + ".camel.yaml"));
            }
        }
        for (RouteFiles.Found destination : routes.destinations()) {
            String expected = "deliver-" + destination.value();
            boolean named = routes.destinationRouteIds().stream()
                    .anyMatch(id -> id.file().equals(destination.file()) && id.value().equals(expected));
            if (!named) {
                problems.add(new ConfigurationException.Problem(destination.file(), "the delivery route of destination '"
                        + destination.value() + "' is not named " + expected,
                        "give its templatedRoute 'routeId: " + expected + "'"));
            }
        }
        for (RouteFiles.Found mode : routes.throttleModes()) {
            if (!THROTTLE_MODES.contains(mode.value()) && !mode.value().contains("{{")) {
                problems.add(new ConfigurationException.Problem(mode.where(), "unknown throttle mode '" + mode.value()
                        + "' (Camel would silently treat it as ConcurrentRequests)",
                        "use TotalRequests (at most N requests per period) or ConcurrentRequests (at most N in flight)"));
            }
        }
        return problems;
    }

    private static Destination destination(Settings s, String name, String file, AllowedHosts allowed, boolean demo,
            List<ConfigurationException.Problem> problems) {
        String p = "mphub.destinations." + name + ".";
        int before = problems.size();
        String kind = s.get(p + "kind", "webhook").toLowerCase(Locale.ROOT);
        Kind spec = Kinds.named(kind).orElse(null);
        if (spec == null) {
            problems.add(problem(p + "kind", "unknown destination kind '" + kind + "'", "use one of " + Kinds.names()));
        }
        boolean webhook = "webhook".equals(kind);
        // A provider kind defaults to the provider's own service; a sandbox is one URL away.
        var rawUrl = s.get(p + "url").or(() -> Optional.ofNullable(spec == null ? null : spec.defaultUrl()));
        URI url = null;
        if (rawUrl.isEmpty()) {
            if (!demo) {
                problems.add(problem(p + "url", "destination '" + name + "' (" + file + ") has no URL",
                        "set " + Settings.envName(p + "url") + " to the receiver's https URL"));
            }
        } else {
            url = url(rawUrl.get(), p + "url", allowed, problems);
        }
        Secret secret = s.get(p + "secret").map(Secret::new).orElse(null);
        if (!webhook) {
            if (spec != null) {
                spec.check().check(name, s, problems);
            }
        } else if (secret == null && !demo) {
            problems.add(problem(p + "secret", "destination '" + name + "' has no signing secret, and mphub never"
                    + " sends unsigned", "set " + Settings.envName(p + "secret") + " to a whsec_ secret"
                    + " (from the environment or the secrets file, never in routes/)"));
        } else if (secret != null && !validWebhookSecret(secret.value())) {
            problems.add(problem(p + "secret", "the secret of destination '" + name + "' is not a Standard Webhooks"
                    + " secret", "use whsec_ followed by the Base64 of 24 to 64 random bytes"));
        }
        double rate = s.getDouble(p + "rate", s.getDouble("mphub.delivery.rate", 100));
        if (!(rate >= 1 && rate <= MAX_RATE)) {
            // Camel's TotalRequests throttle holds one permit object per request of its period.
            problems.add(problem(p + "rate", "rate must be from 1 to " + MAX_RATE + " requests per second",
                    "set requests per second, e.g. 50"));
        }
        long timeoutMs = s.getLong(p + "timeout-ms", s.getLong("mphub.delivery.timeout-ms", 10_000));
        int attempts = s.getInt(p + "retry.max-attempts", s.getInt("mphub.delivery.retry.max-attempts", 6));
        long initial = s.getLong(p + "retry.initial-delay-ms", s.getLong("mphub.delivery.retry.initial-delay-ms", 500));
        long max = s.getLong(p + "retry.max-delay-ms", s.getLong("mphub.delivery.retry.max-delay-ms", 30_000));
        double multiplier = s.getDouble(p + "retry.multiplier", s.getDouble("mphub.delivery.retry.multiplier", 2.0));
        if (timeoutMs <= 0 || attempts < 1 || initial < 0 || max < initial || !(multiplier >= 1)) { // NaN too
            problems.add(problem(p + "timeout-ms / retry.*", "timeout or retry policy out of range",
                    "timeout-ms > 0, max-attempts >= 1, 0 <= initial-delay-ms <= max-delay-ms, multiplier >= 1"));
        }
        Set<String> fields = Arrays.stream(s.get(p + "fields", "").split(","))
                .map(String::trim).filter(f -> !f.isEmpty()).collect(Collectors.toUnmodifiableSet());
        if (problems.size() > before) {
            return null;
        }
        return new Destination(name, kind, url, secret, rate, Duration.ofMillis(timeoutMs),
                new RetryPolicy(attempts, Duration.ofMillis(initial), multiplier, Duration.ofMillis(max)), fields);
    }

    private static URI url(String raw, String key, AllowedHosts allowed, List<ConfigurationException.Problem> problems) {
        try {
            URI url = new URI(raw);
            if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme()) || url.getHost() == null) {
                problems.add(problem(key, "the value is not an http(s) URL", "use https://host/path"));
                return null;
            }
            if (!allowed.permits(url.getHost())) {
                problems.add(problem(key, "host '" + url.getHost() + "' is not on mphub.security.allowed-hosts",
                        "add it to MPHUB_SECURITY_ALLOWED_HOSTS if this destination is meant to receive events"));
                return null;
            }
            return url;
        } catch (URISyntaxException e) {
            problems.add(problem(key, "the value is not a URL: " + e.getReason(), "use https://host/path"));
            return null;
        }
    }

    static boolean validWebhookSecret(String secret) {
        if (!secret.startsWith("whsec_")) {
            return false;
        }
        try {
            int length = Base64.getDecoder().decode(secret.substring("whsec_".length())).length;
            return length >= 24 && length <= 64;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static ConfigurationException.Problem problem(String key, String what, String fix) {
        return ConfigurationException.Problem.setting(key, what, fix);
    }
}
