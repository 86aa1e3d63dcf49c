package io.mphub.provider.amap;

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
import io.mphub.sign.AmapSigner;

/**
 * AMap (高德): ingest's reverse geocoding of events' locations ({@code data.location}), the alternative to Tencent
 * Location Service, on while {@code mphub.geocoding.provider} is {@code amap}. No destination kind: the hub calls it
 * itself, through the same cache and circuit breaker ({@link ReverseGeocoding}).
 */
public final class AmapProvider implements Provider {

    static final String PATH = "/v3/geocode/regeo";

    @Override
    public String title() {
        return "AMap (reverse geocoding)";
    }

    @Override
    public List<Setting<?>> settings() {
        return AmapSettings.ALL;
    }

    @Override
    public List<KindName> kinds() {
        return List.of();
    }

    @Override
    public Configured configure(Settings.Reader settings, List<Destination> destinations, Setup setup) {
        Optional<AmapSettings> read = AmapSettings.read(settings, setup.allowedHosts());
        return new Configured() {
            @Override
            public Optional<Enricher> enricher(ProviderContext context) {
                return read.map(a -> ReverseGeocoding.create(geocoder(a.url(), a.key(), a.privateKey().value(),
                        a.tuning().timeout(), new AmapAnswers(context.clock())), a.tuning(),
                        AmapSettings.PROVIDER, context.clock(), context.metrics()));
            }
        };
    }

    /**
     * {@code GET /v3/geocode/regeo?key=KEY&location=lng,lat&sig=SIG}: longitude first, GCJ-02 as events carry it;
     * {@code sig} over the sorted raw parameters and the private key ({@link AmapSigner}).
     */
    static HttpGeocoder geocoder(URI url, Secret key, String privateKey, Duration timeout, AmapAnswers answers) {
        AmapSigner signer = new AmapSigner(privateKey);
        return new HttpGeocoder(cell -> Endpoints.under(url, PATH + "?" + signer.signedQuery(Map.of("key", key.value(),
                "location", cell.longitudeFirst()))), answers, key, timeout, Endpoints.under(url, PATH));
    }
}
