package io.mphub.provider.tencentmap;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.deliver.Destination;
import io.mphub.enrich.Enricher;
import io.mphub.enrich.ReverseGeocoding;
import io.mphub.provider.Endpoints;
import io.mphub.provider.HttpGeocoder;
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
                    LOG.info("Reverse geocoding by {} off: {} is not set or another provider is chosen",
                            TencentMapSettings.PROVIDER, TencentMapSettings.KEY.key());
                    return Optional.empty();
                }
                TencentMapSettings t = read.get();
                HttpGeocoder geocoder = geocoder(t.url(), t.key(), t.sk().value(), t.tuning().timeout(),
                        new TencentMapAnswers(context.clock()));
                return Optional.of(ReverseGeocoding.create(geocoder, t.tuning(), TencentMapSettings.PROVIDER,
                        context.clock(), context.metrics()));
            }
        };
    }

    /**
     * {@code GET /ws/geocoder/v1?key=KEY&location=lat,lng&sig=SIG}: parameters sorted, values URL-encoded, {@code sig}
     * over their raw values and the exact path, with the key's SK ({@link TencentMapSigner}).
     */
    static HttpGeocoder geocoder(URI url, Secret key, String sk, Duration timeout, TencentMapAnswers answers) {
        TencentMapSigner signer = new TencentMapSigner(sk);
        return new HttpGeocoder(cell -> Endpoints.under(url, signer.signedPathAndQuery(TencentMapSettings.PATH,
                Map.of("key", key.value(), "location", cell.location()))), answers, key, timeout,
                Endpoints.under(url, TencentMapSettings.PATH));
    }
}
