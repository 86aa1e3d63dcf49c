package io.mphub.deliver;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import io.mphub.config.AllowedHosts;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.RouteFiles;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.privacy.DataContract;
import io.mphub.privacy.DataContracts;
import io.mphub.privacy.PrivacySettings;

/**
 * Delivery: the defaults every destination starts from ({@code mphub.delivery.*}) and each destination's own settings
 * ({@code mphub.destinations.<name>.*}), read into {@link Destination}s, one per file under routes/destinations/.
 */
public final class DeliverySettings {

    /** The most requests a second a destination may be given: its limit keeps one number per request of a second. */
    public static final int MAX_RATE = 100_000;

    public static final Setting<Integer> CONCURRENCY = Setting.integer("mphub.delivery.concurrency").defaultValue(4)
            .range(1, 64).description("Consumer threads per destination that delivers in batches (template"
                    + " deliver-batch; at most its outbox topic's partitions). Its route file may set its own with the"
                    + " template's concurrency parameter.");
    public static final Setting<Integer> IN_FLIGHT = Setting.integer("mphub.delivery.in-flight").defaultValue(256)
            .range(1, 4096).description("Events sent at once to a destination (template deliver), each user's one at a"
                    + " time, in order: against a receiver that answers in 50 ms, 256 in flight carry up to ~5,000"
                    + " events/s. Each event in flight holds a thread while it waits.");
    public static final Setting<Double> RATE = Setting.decimal("mphub.delivery.rate").range(1.0, (double) MAX_RATE)
            .description("Requests per second sent to a destination, from 1 to 100000, held exactly (at most this"
                    + " many in any second) for the whole group of replicas: each takes the share of the partitions it"
                    + " owns (a batch destination counts each attempt of each request). Unset: no limit; set each"
                    + " destination's to its third"
                    + " party's documented limit.");
    public static final Setting<Duration> TIMEOUT = Setting.millis("mphub.delivery.timeout-ms")
            .defaultValue(Duration.ofSeconds(10)).check(d -> !d.isZero(), "must be above 0")
            .description("Connect and request timeout of one HTTP attempt.");
    public static final Setting<Integer> MAX_ATTEMPTS = Setting.integer("mphub.delivery.retry.max-attempts")
            .defaultValue(6).range(1, 1000).description("Attempts per event, the first included.");
    public static final Setting<Duration> INITIAL_DELAY = Setting.millis("mphub.delivery.retry.initial-delay-ms")
            .defaultValue(Duration.ofMillis(500)).description("The backoff bound before the second attempt.");
    public static final Setting<Duration> MAX_DELAY = Setting.millis("mphub.delivery.retry.max-delay-ms")
            .defaultValue(Duration.ofSeconds(30)).description("The largest backoff bound.");
    public static final Setting<Double> MULTIPLIER = Setting.decimal("mphub.delivery.retry.multiplier")
            .defaultValue(2.0).range(1.0, 100.0).description("How much the backoff bound grows per attempt (at least"
                    + " 1). Before attempt n+1 the hub waits a random time from 0 to min(max-delay-ms, initial-delay-ms"
                    + " × multiplier^(n−1)).");
    public static final Setting<Duration> MAX_RETRY_AFTER = Setting.millis("mphub.delivery.max-retry-after-ms")
            .defaultValue(Duration.ofMinutes(1)).description("The longest Retry-After (429, 503) honoured; a longer one is"
                    + " cut to this. A provider's quota window longer than this pauses the destination instead.");
    public static final Setting<Duration> PROBE_INITIAL_DELAY = Setting.millis("mphub.delivery.probe.initial-delay-ms")
            .defaultValue(Duration.ofSeconds(1)).check(d -> !d.isZero(), "must be above 0")
            .description("A paused destination is probed (HTTP HEAD to its URL) after this, then twice as long each"
                    + " time up to the maximum.");
    public static final Setting<Duration> PROBE_MAX_DELAY = Setting.millis("mphub.delivery.probe.max-delay-ms")
            .defaultValue(Duration.ofSeconds(10)).check(d -> !d.isZero(), "must be above 0")
            .description("The longest interval between probes: a receiver that is back waits at most this long for the"
                    + " probe that resumes its destination.");

    public static final Setting<String> KIND = Setting.text("mphub.destinations.<name>.kind").defaultValue("webhook")
            .description("How requests to the destination are built, signed and answered: webhook (a Standard Webhooks"
                    + " signed POST of the CloudEvent), or a provider's kind (docs/providers/).");
    public static final Setting<URI> URL = Setting.url("mphub.destinations.<name>.url")
            .fix("set it to the receiver's https URL")
            .description("The receiver's URL (a provider kind: the provider's base URL, by default its own service, so"
                    + " a sandbox is one URL away). Its host must be on mphub.security.allowed-hosts.");
    public static final Setting<Double> RATE_OF = Setting.decimal("mphub.destinations.<name>.rate")
            .range(1.0, (double) MAX_RATE).fix("set requests per second, e.g. 50")
            .description("Requests per second to this destination (default: mphub.delivery.rate; neither set: no"
                    + " limit).");
    public static final Setting<Integer> IN_FLIGHT_OF = Setting.integer("mphub.destinations.<name>.in-flight")
            .range(1, 4096).description("Events sent at once to this destination (default: mphub.delivery.in-flight).");
    public static final Setting<Duration> TIMEOUT_OF = Setting.millis("mphub.destinations.<name>.timeout-ms")
            .check(d -> !d.isZero(), "must be above 0")
            .description("Its HTTP timeout (default: mphub.delivery.timeout-ms).");
    public static final Setting<Integer> MAX_ATTEMPTS_OF = Setting.integer("mphub.destinations.<name>.retry.max-attempts")
            .range(1, 1000).description("Its attempts per event (default: mphub.delivery.retry.max-attempts).");
    public static final Setting<Duration> INITIAL_DELAY_OF = Setting.millis(
                    "mphub.destinations.<name>.retry.initial-delay-ms")
            .description("Its first backoff bound (default: mphub.delivery.retry.initial-delay-ms).");
    public static final Setting<Duration> MAX_DELAY_OF = Setting.millis("mphub.destinations.<name>.retry.max-delay-ms")
            .description("Its largest backoff bound (default: mphub.delivery.retry.max-delay-ms).");
    public static final Setting<Double> MULTIPLIER_OF = Setting.decimal("mphub.destinations.<name>.retry.multiplier")
            .range(1.0, 100.0).description("Its backoff growth (default: mphub.delivery.retry.multiplier).");
    /** Retired: what a destination may receive is its file's data contract (parameter keep). */
    public static final Setting<List<String>> FIELDS = Setting.list("mphub.destinations.<name>.fields")
            .description("Retired: start-up refuses it. The data fields a destination keeps are its file's parameter"
                    + " keep (docs/privacy.md).");

    public static final Setting<Duration> BATCH_MAX_WAIT = Setting.millis("mphub.delivery.batch.max-wait-ms")
            .defaultValue(Duration.ofSeconds(1)).range(Duration.ofMillis(1), Duration.ofMinutes(1))
            .description("A destination that delivers in batches sends what it holds this long after its last batch,"
                    + " full or not.");
    public static final Setting<Integer> BATCH_MAX_EVENTS_OF = Setting.integer(
                    "mphub.destinations.<name>.batch.max-events").check(n -> n >= 1, "must be at least 1")
            .description("Events per batch (template deliver-batch only; default and maximum: what its kind's platform"
                    + " takes, docs/analytics.md).");
    public static final Setting<Long> BATCH_MAX_BYTES_OF = Setting.longNumber("mphub.destinations.<name>.batch.max-bytes")
            .check(n -> n >= 1024, "must be at least 1024")
            .description("Bytes per batch request, as its kind counts them (template deliver-batch only; default and"
                    + " maximum: what its kind's platform takes).");
    public static final Setting<Duration> BATCH_MAX_WAIT_OF = Setting.millis(
                    "mphub.destinations.<name>.batch.max-wait-ms").range(Duration.ofMillis(1), Duration.ofMinutes(1))
            .description("Its longest wait for a batch to fill (default: mphub.delivery.batch.max-wait-ms).");

    public static final List<Setting<?>> DEFAULTS = List.of(CONCURRENCY, IN_FLIGHT, RATE, TIMEOUT, MAX_ATTEMPTS, INITIAL_DELAY,
            MAX_DELAY, MULTIPLIER, MAX_RETRY_AFTER, PROBE_INITIAL_DELAY, PROBE_MAX_DELAY, BATCH_MAX_WAIT);
    public static final List<Setting<?>> PER_DESTINATION = List.of(KIND, URL, RATE_OF, IN_FLIGHT_OF, TIMEOUT_OF, MAX_ATTEMPTS_OF,
            INITIAL_DELAY_OF, MAX_DELAY_OF, MULTIPLIER_OF, FIELDS, BATCH_MAX_EVENTS_OF, BATCH_MAX_BYTES_OF,
            BATCH_MAX_WAIT_OF, PrivacySettings.PSEUDONYM_KEY, PrivacySettings.WITHOUT_RECORD);

    /**
     * A destination kind as start-up checks a destination against it.
     *
     * @param defaultUrl its provider's own base URL (empty: a destination must give one)
     * @param limits     the most its platform takes in one request (null when it never batches)
     * @param realValues the fields it cannot work without the real value of (a data contract may not change them),
     *                   with what it needs each for
     */
    public record KindSpec(Optional<URI> defaultUrl, Batching batching, BatchLimits limits,
            Map<String, String> realValues) {
    }

    private static final String NAME_PATTERN = "[a-z][a-z0-9-]*";

    /** What every destination starts from, and what applies to all of them. */
    public record Defaults(double rate, int inFlight, Duration timeout, RetryPolicy retry, Duration maxRetryAfter,
            Duration firstProbe, Duration maxProbe, Duration batchMaxWait) {
    }

    private DeliverySettings() {
    }

    public static Defaults defaults(Settings.Reader settings) {
        settings.get(CONCURRENCY); // read by the delivery template; checked here
        Duration probe = settings.get(PROBE_INITIAL_DELAY);
        Duration maxProbe = settings.get(PROBE_MAX_DELAY);
        if (maxProbe.compareTo(probe) < 0) {
            settings.problem(PROBE_MAX_DELAY, "is less than " + PROBE_INITIAL_DELAY.key(),
                    "make it at least " + PROBE_INITIAL_DELAY.envName());
        }
        return new Defaults(settings.optional(RATE).orElse(0.0), settings.get(IN_FLIGHT), settings.get(TIMEOUT),
                retry(settings, MAX_ATTEMPTS, INITIAL_DELAY, MAX_DELAY, MULTIPLIER, null), settings.get(MAX_RETRY_AFTER), probe, maxProbe,
                settings.get(BATCH_MAX_WAIT));
    }

    /**
     * One destination per file under routes/destinations/, with its settings.
     *
     * @param files  the destination files' definitions ({@link RouteFiles#destinations()})
     * @param kinds  every kind the hub speaks
     * @param fields every field of the event contract, by path, with its schema (what a data contract may name)
     * @return every destination of a known kind, its problems in the reader. One with problems is returned too (its
     *         URL null when it has none that is usable), so that its provider's settings are checked in the same pass:
     *         start-up stops on the problems anyway.
     */
    public static Map<String, Destination> destinations(Settings.Reader settings, RouteFiles routes,
            List<RouteFiles.Found> files, Map<String, KindSpec> kinds, AllowedHosts allowed, Defaults defaults,
            Map<String, JsonNode> fields) {
        Map<String, Destination> destinations = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (RouteFiles.Found file : files) {
            String name = file.value();
            if (!name.matches(NAME_PATTERN)) {
                settings.problem(new Problem(file.where(), "destination name '" + name + "' is not allowed",
                        "use lower-case letters, digits and '-' (it becomes a topic name)"));
                continue;
            }
            if (!seen.add(name)) {
                settings.problem(new Problem(file.where(), "destination '" + name + "' is defined twice",
                        "remove one of the files defining it"));
                continue;
            }
            destination(settings, name, file, routes, kinds, allowed, defaults, fields)
                    .ifPresent(d -> destinations.put(name, d));
        }
        return destinations;
    }

    private static Optional<Destination> destination(Settings.Reader settings, String name, RouteFiles.Found found,
            RouteFiles routes, Map<String, KindSpec> kinds, AllowedHosts allowed, Defaults defaults,
            Map<String, JsonNode> fields) {
        String file = found.where();
        Optional<RouteFiles.Found> template = routes.templateOf(found.file());
        Setting<String> kindSetting = KIND.forName(name);
        String kind = settings.get(kindSetting).toLowerCase(Locale.ROOT);
        if (!kinds.containsKey(kind)) {
            settings.problem(kindSetting, "unknown destination kind '" + kind + "'", "use one of "
                    + new TreeSet<>(kinds.keySet()));
        }
        // A provider's kind defaults to the provider's own service.
        Setting<URI> urlSetting = URL.forName(name);
        KindSpec spec = kinds.get(kind);
        URI url = settings.require((spec == null ? Optional.<URI>empty() : spec.defaultUrl())
                        .map(urlSetting::defaultValue).orElse(urlSetting), "destination '" + name + "' (" + file
                        + ") has no URL")
                .filter(u -> allowed.allowed(settings, urlSetting, u)).orElse(null);
        double rate = settings.optional(RATE_OF.forName(name)).orElse(defaults.rate());
        int inFlight = settings.get(IN_FLIGHT_OF.forName(name).defaultValue(defaults.inFlight()));
        Duration timeout = settings.get(TIMEOUT_OF.forName(name).defaultValue(defaults.timeout()));
        RetryPolicy retry = retry(settings, MAX_ATTEMPTS_OF.forName(name).defaultValue(defaults.retry().maxAttempts()),
                INITIAL_DELAY_OF.forName(name).defaultValue(defaults.retry().initialDelay()),
                MAX_DELAY_OF.forName(name).defaultValue(defaults.retry().maxDelay()),
                MULTIPLIER_OF.forName(name).defaultValue(defaults.retry().multiplier()), name);
        if (settings.isSet(FIELDS.forName(name))) {
            settings.problem(FIELDS.forName(name), "is retired: what destination '" + name + "' receives is its file's"
                    + " data contract", "remove it and name the fields in " + found.file() + " as the parameter keep,"
                    + " e.g. value: data.appId, data.orderId (docs/privacy.md)");
        }
        if (spec == null) {
            return Optional.empty();
        }
        DataContract contract = DataContracts.read(settings, name, kind, routes.parametersOf(found.file()), fields,
                spec.realValues());
        Destination.Batch batch = batch(settings, name, kind, spec, template.orElse(found), defaults, routes,
                found);
        return Optional.of(new Destination(name, kind, url, rate, timeout, retry, contract, batch, inFlight));
    }

    /**
     * How a destination forms batches, when its file's template is {@code deliver-batch}; null when it is
     * {@code deliver}. The template must be one its kind serves, and the batch settings within its platform's limits.
     */
    private static Destination.Batch batch(Settings.Reader settings, String name, String kind, KindSpec spec,
            RouteFiles.Found template, Defaults defaults, RouteFiles routes, RouteFiles.Found found) {
        boolean batches = template.value().equals(RouteFiles.DELIVER_BATCH);
        if (!batches && !template.value().equals(RouteFiles.DELIVER)) {
            settings.problem(new Problem(template.where(), "unknown delivery template '" + template.value() + "'",
                    "use routeTemplateRef: " + RouteFiles.DELIVER + " (one event per request) or "
                            + RouteFiles.DELIVER_BATCH + " (batches)"));
            return null;
        }
        if (batches && spec.batching() == Batching.NEVER) {
            settings.problem(new Problem(template.where(), "destination '" + name + "' is of kind " + kind + ", which"
                    + " sends one event per request", "use routeTemplateRef: " + RouteFiles.DELIVER));
            return null;
        }
        if (!batches && spec.batching() == Batching.ALWAYS) {
            settings.problem(new Problem(template.where(), "destination '" + name + "' is of kind " + kind + ", whose"
                    + " platform takes events in batches", "use routeTemplateRef: " + RouteFiles.DELIVER_BATCH));
            return null;
        }
        if (!batches) {
            routes.parametersOf(found.file()).stream().filter(p -> p.name().equals("concurrency")).forEach(p ->
                    settings.problem(new Problem(p.value().where(), "the parameter concurrency applies only to template "
                            + RouteFiles.DELIVER_BATCH + ": template " + RouteFiles.DELIVER + " sends up to "
                            + IN_FLIGHT_OF.forName(name).key() + " events at once", "remove it, and set "
                            + IN_FLIGHT_OF.forName(name).envName() + " instead")));
        }
        List<Setting<?>> batchSettings = List.of(BATCH_MAX_EVENTS_OF.forName(name), BATCH_MAX_BYTES_OF.forName(name),
                BATCH_MAX_WAIT_OF.forName(name));
        if (!batches) {
            batchSettings.stream().filter(settings::isSet).forEach(s -> settings.problem(s, "applies only to a"
                    + " destination that delivers in batches, and " + template.where() + " uses template "
                    + RouteFiles.DELIVER, "remove it, or use routeTemplateRef: " + RouteFiles.DELIVER_BATCH));
            return null;
        }
        BatchLimits limits = spec.limits();
        int events = settings.get(BATCH_MAX_EVENTS_OF.forName(name).defaultValue(limits.maxEvents())
                .range(1, limits.maxEvents()));
        long bytes = settings.get(BATCH_MAX_BYTES_OF.forName(name).defaultValue(limits.maxBytes())
                .range(1024L, limits.maxBytes()));
        Duration wait = settings.get(BATCH_MAX_WAIT_OF.forName(name).defaultValue(defaults.batchMaxWait()));
        return new Destination.Batch(events, bytes, Math.min(bytes, limits.maxEventBytes()), wait);
    }

    /** A retry policy from its four settings; a bound below the first is a problem of the pair. */
    private static RetryPolicy retry(Settings.Reader settings, Setting<Integer> attempts, Setting<Duration> initial,
            Setting<Duration> max, Setting<Double> multiplier, String destination) {
        int a = settings.get(attempts);
        Duration i = settings.get(initial);
        Duration m = settings.get(max);
        double x = settings.get(multiplier);
        if (m.compareTo(i) < 0) {
            settings.problem(max, "is less than " + initial.key() + (destination == null ? ""
                    : " (destination '" + destination + "')"), "make it at least " + initial.envName());
            m = i;
        }
        return new RetryPolicy(a, i, x, m);
    }
}
