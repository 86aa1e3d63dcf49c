package io.mphub.provider.tencentmap;

import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Ticker;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.deliver.Destination;
import io.mphub.enrich.Enricher;
import io.mphub.enrich.GeocoderGate;
import io.mphub.enrich.ReverseGeocoding;
import io.mphub.provider.Endpoints;
import io.mphub.provider.Provider;
import io.mphub.provider.ProviderContext;
import io.mphub.sign.TencentMapSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tencent Location Service: ingest's reverse geocoding of events' locations ({@code data.location}), on while
 * {@code mphub.tencentmap.key} is set. No destination kind: the hub calls it itself.
 */
public final class TencentMapProvider implements Provider {

    private static final Logger LOG = LoggerFactory.getLogger(TencentMapProvider.class);

    @Override
    public String title() {
        return "Tencent Location Service (reverse geocoding)";
    }

    @Override
    public List<Setting<?>> settings() {
        return TencentMapSettings.ALL;
    }

    @Override
    public List<KindName> kinds() {
        return List.of();
    }

    @Override
    public Configured configure(Settings.Reader settings, List<Destination> destinations, Setup setup) {
        Optional<TencentMapSettings> read = TencentMapSettings.read(settings, setup.allowedHosts());
        return new Configured() {
            @Override
            public Optional<Enricher> enricher(ProviderContext context) {
                if (read.isEmpty()) {
                    LOG.info("Reverse geocoding off: {} is not set", TencentMapSettings.KEY.key());
                    return Optional.empty();
                }
                TencentMapSettings t = read.get();
                TencentMapGeocoder geocoder = new TencentMapGeocoder(t.url(), t.key(),
                        new TencentMapSigner(t.sk().value()), Endpoints.asyncClient(t.url(), t.timeout()), t.timeout(),
                        new TencentMapAnswers(context.mapper(), context.clock()));
                LOG.info("Reverse geocoding on: {} at {}, timeout {} ms, cells of {} decimal places",
                        TencentMapSettings.PROVIDER, geocoder, t.timeout().toMillis(), t.decimals());
                return Optional.of(new ReverseGeocoding(geocoder, ReverseGeocoding.cache(t.maxEntries(), t.ttl(),
                        Ticker.systemTicker()), new GeocoderGate(TencentMapSettings.PROVIDER, t.pause(), context.clock()),
                        t.decimals(), TencentMapSettings.PROVIDER, context.metrics()));
            }
        };
    }
}
