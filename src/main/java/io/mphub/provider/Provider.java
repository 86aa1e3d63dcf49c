package io.mphub.provider;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mphub.callback.Callback;
import io.mphub.config.AllowedHosts;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.deliver.BatchKind;
import io.mphub.deliver.BatchLimits;
import io.mphub.deliver.Batching;
import io.mphub.deliver.DeliverySettings;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Kind;
import io.mphub.enrich.Enricher;

/**
 * One third party the hub speaks to, as one package under provider/ with one entry implementing this: the settings it
 * reads, the destination kinds it offers, and, once its settings are read, what it builds. At start-up the hub
 * asks every provider to read and check its settings in one pass ({@link #configure}); once Kafka and the hub's
 * other parts exist, what it configured builds its kinds, callbacks, job beans and enrichers. The hub's provider list
 * (boot/Providers) names every entry: adding a provider is its package and one line there.
 */
public interface Provider {

    /**
     * A destination kind, as {@code mphub.destinations.<name>.kind} names it.
     *
     * @param defaultUrl the provider's own base URL, used when a destination sets none (empty: it must set one)
     * @param batching   whether it delivers in batches
     * @param limits     the most its platform takes in one request (null when it never batches)
     */
    record KindName(String name, Optional<URI> defaultUrl, Batching batching, BatchLimits limits,
            Map<String, String> realValues) {

        public KindName(String name, Optional<URI> defaultUrl, Batching batching, BatchLimits limits) {
            this(name, defaultUrl, batching, limits, Map.of());
        }

        /** A kind that sends one event per request. */
        public KindName(String name, Optional<URI> defaultUrl) {
            this(name, defaultUrl, Batching.NEVER, null);
        }

        /**
         * This kind, which cannot work without the real value of each field named (a path such as {@code data.openId},
         * with what it is needed for): start-up refuses a data contract that would change or remove one.
         */
        public KindName needing(Map<String, String> real) {
            return new KindName(name, defaultUrl, batching, limits, Map.copyOf(real));
        }

        /** What start-up checks a destination of this kind against. */
        public DeliverySettings.KindSpec spec() {
            return new DeliverySettings.KindSpec(defaultUrl, batching, limits, realValues);
        }
    }

    /** What start-up knows besides the settings. */
    record Setup(AllowedHosts allowedHosts, Path routesDir, Path schemasDir) {
    }

    /** The heading of its settings in the documentation, e.g. "WeChat Pay". */
    String title();

    /** Every setting it reads (per-destination ones with {@code <name>} in their keys), for the documentation. */
    List<Setting<?>> settings();

    /** The destination kinds it offers; none for a provider the hub only calls itself (reverse geocoding). */
    List<KindName> kinds();

    /**
     * Reads and checks its settings in one pass, adding every problem to {@code settings}.
     *
     * @param destinations the destinations of its kinds; none when no destination uses it (its callbacks, jobs and
     *                     enrichers may still be switched on by their own settings)
     */
    Configured configure(Settings.Reader settings, List<Destination> destinations, Setup setup);

    /** A provider whose settings were read: what it builds once the hub's parts exist. */
    interface Configured {

        /** The kind of one of its destinations. */
        default Kind kind(Destination destination, ProviderContext context) {
            throw new IllegalStateException("no destination kind " + destination.kind() + " here");
        }

        /** The batch kind of one of its destinations that delivers in batches. */
        default BatchKind batchKind(Destination destination, ProviderContext context) {
            throw new IllegalStateException("destination kind " + destination.kind() + " does not deliver in batches");
        }

        /** Its calls to the hub, each served under /callbacks/<name>. */
        default Map<String, Callback> callbacks(ProviderContext context) {
            return Map.of();
        }

        /** Beans the route files call by name (routes/jobs.camel.yaml). */
        default Map<String, Object> beans(ProviderContext context) {
            return Map.of();
        }

        /** An enrichment step of ingest. */
        default Optional<Enricher> enricher(ProviderContext context) {
            return Optional.empty();
        }
    }
}
