package io.mphub.enrich;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.enrich.Coordinates.Cell;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the address of an event's {@code data.location} as extension attributes: {@code mphubaddress},
 * {@code mphubadcode}, and {@code mphubgeo} saying how it went. The producer's {@code data} is left as it is.
 *
 * <p>Answers are cached by grid cell (bounded, with a TTL), so repeated locations make no call, and events in
 * one cell at the same moment share one call. A call is
 * bounded by the provider's timeout, and {@link GeocoderGate} stops calls while the provider fails or is over
 * quota: enrichment never holds ingest for longer than one timeout, and most events not at all. An event that
 * cannot be enriched goes on, marked with the reason.
 */
public final class ReverseGeocoding implements Enricher {

    public static final String ADDRESS = "mphubaddress";
    public static final String ADCODE = "mphubadcode";
    public static final String MARKER = "mphubgeo";
    public static final String METRIC = "mphub.enrich.geocode";

    /** Which provider answers; each turns itself on only when chosen and given its key. */
    public static final Setting<String> PROVIDER = Setting.oneOf("mphub.geocoding.provider", "tencentmap", "amap")
            .defaultValue("tencentmap")
            .description("Which service reverse-geocodes events' locations: tencentmap (Tencent Location Service,"
                    + " mphub.tencentmap.*) or amap (AMap, mphub.amap.*). The chosen one works once its key is set;"
                    + " the other is never called, even with its key set.");

    private static final Logger LOG = LoggerFactory.getLogger(ReverseGeocoding.class);

    private final ReverseGeocoder geocoder;
    private final Cache<Cell, GeocodeResult> cache;
    private final GeocoderGate gate;
    private final int decimals;
    private final String provider;
    private final Map<GeocodeOutcome, Counter> outcomes = new EnumMap<>(GeocodeOutcome.class);
    private final Counter cached;
    private final AtomicBoolean misconfigurationLogged = new AtomicBoolean();

    /**
     * @param decimals places the coordinates are rounded to before the cache and the call
     * @param provider for the log, e.g. "Tencent Location Service"
     */
    public ReverseGeocoding(ReverseGeocoder geocoder, Cache<Cell, GeocodeResult> cache, GeocoderGate gate, int decimals,
            String provider, MeterRegistry metrics) {
        this.geocoder = geocoder;
        this.cache = cache;
        this.gate = gate;
        this.decimals = decimals;
        this.provider = provider;
        // Registered up front, so that every outcome shows (at 0) on /metrics from the start.
        for (GeocodeOutcome outcome : GeocodeOutcome.values()) {
            outcomes.put(outcome, counter(metrics, outcome.marker()));
        }
        this.cached = counter(metrics, "cached");
    }

    /**
     * The enricher asking {@code geocoder}, tuned by its provider's settings.
     *
     * @param provider for the log and the pause's messages, e.g. "AMap"
     */
    public static ReverseGeocoding create(ReverseGeocoder geocoder, GeocoderTuning tuning, String provider,
            Clock clock, MeterRegistry metrics) {
        LOG.info("Reverse geocoding on: {} at {}, timeout {} ms, cells of {} decimal places", provider, geocoder,
                tuning.timeout().toMillis(), tuning.decimals());
        return new ReverseGeocoding(geocoder, cache(tuning.maxEntries(), tuning.ttl(), Ticker.systemTicker()),
                new GeocoderGate(provider, tuning.pause(), clock), tuning.decimals(), provider, metrics);
    }

    /**
     * Whether {@code name} ({@code tencentmap}, {@code amap}) is the provider chosen; when it is not but its key is
     * set, says so once.
     */
    public static boolean chosen(Settings.Reader settings, String name, Setting<?> key) {
        String chosen = settings.get(PROVIDER);
        if (!chosen.equals(name) && settings.isSet(key)) {
            LOG.info("{} is set, but {} is {}: {} is not called", key.key(), PROVIDER.key(), chosen, name);
        }
        return chosen.equals(name);
    }

    /** The answers cache: at most {@code maxEntries} cells, each kept {@code ttl} after it was fetched. */
    public static Cache<Cell, GeocodeResult> cache(long maxEntries, Duration ttl, Ticker ticker) {
        return Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(ttl).ticker(ticker).build();
    }

    @Override
    public void enrich(ObjectNode event) {
        Coordinates point = Coordinates.of(event).orElse(null);
        if (point == null) {
            return;
        }
        String eventId = event.path("id").asText();
        GeocodeResult[] called = new GeocodeResult[1];
        // Caffeine runs one lookup per missing cell: events of other threads in the same cell wait for its answer
        // instead of making calls of their own. What says nothing about the cell (a failure) is not kept.
        GeocodeResult answer = cache.get(point.cell(decimals), cell -> {
            called[0] = lookup(cell, eventId);
            return called[0].cacheable() ? called[0] : null;
        });
        if (called[0] != null) {
            answer = called[0];
            outcomes.get(answer.outcome()).increment();
        } else {
            cached.increment();
        }
        mark(event, answer);
    }

    private GeocodeResult lookup(Cell cell, String eventId) {
        GeocodeResult stopped = gate.refusal();
        if (stopped != null) {
            return GeocodeResult.failed(stopped.outcome(), "calls stopped: " + stopped.detail());
        }
        long start = System.nanoTime();
        GeocodeResult answer;
        try {
            answer = geocoder.lookup(cell);
        } catch (InterruptedException e) {
            // The hub is stopping: the event goes on unenriched; whoever interrupted still sees the flag.
            Thread.currentThread().interrupt();
            gate.abandon();
            return GeocodeResult.failed(GeocodeOutcome.UNAVAILABLE, "interrupted");
        } catch (RuntimeException e) {
            // A bug here must not dead-letter a valid event.
            LOG.warn("event {}: reverse geocoding failed unexpectedly: {}", eventId, e.toString());
            answer = GeocodeResult.failed(GeocodeOutcome.UNAVAILABLE, e.getClass().getSimpleName());
        }
        gate.record(answer, System.nanoTime() - start);
        if (answer.outcome() == GeocodeOutcome.MISCONFIGURED) {
            // Once until the provider accepts the configuration again: it will not mend itself between events.
            if (misconfigurationLogged.compareAndSet(false, true)) {
                LOG.error("{} refuses the hub's credentials: {}. Events go on marked mphubgeo=misconfigured.",
                        provider, answer.detail());
            }
        } else if (answer.outcome() == GeocodeOutcome.OK) {
            misconfigurationLogged.set(false);
        } else {
            LOG.debug("event {}: reverse geocoding {}: {}", eventId, answer.outcome().marker(), answer.detail());
        }
        return answer;
    }

    /** The hub's own attributes: a producer's values under these names are replaced or removed. */
    private static void mark(ObjectNode event, GeocodeResult answer) {
        event.put(MARKER, answer.outcome().marker());
        if (answer.outcome() == GeocodeOutcome.OK) {
            event.put(ADDRESS, answer.address());
        } else {
            event.remove(ADDRESS);
        }
        if (answer.adcode() != null) {
            event.put(ADCODE, answer.adcode());
        } else {
            event.remove(ADCODE);
        }
    }

    private static Counter counter(MeterRegistry metrics, String outcome) {
        return Counter.builder(METRIC).tag("outcome", outcome)
                .description("Events with a location, by how reverse geocoding went (cached: answered from the cache)")
                .register(metrics);
    }
}
