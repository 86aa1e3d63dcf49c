package io.mphub.provider;

import java.time.Clock;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.enrich.Enricher;
import io.mphub.enrich.ProviderGate;
import io.mphub.enrich.ReverseGeocoding;
import io.mphub.sign.TencentMapSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ingest's reverse geocoding as the settings ask for it: Tencent Location Service, or nothing at all. */
public final class Geocoding {

    private static final Logger LOG = LoggerFactory.getLogger(Geocoding.class);

    private Geocoding() {
    }

    /** Reverse geocoding of events' locations, or nothing at all (not even a check per event) when it is off. */
    public static Enricher enricher(Optional<TencentMapSettings> geocoding, Clock clock, ObjectMapper mapper,
            MeterRegistry metrics) {
        if (geocoding.isEmpty()) {
            LOG.info("Reverse geocoding off: mphub.tencentmap.key is not set");
            return Enricher.NONE;
        }
        TencentMapSettings t = geocoding.get();
        TencentGeocoder geocoder = new TencentGeocoder(t.url(), t.key(), new TencentMapSigner(t.sk().value()),
                Endpoints.client(t.url(), t.timeout()), t.timeout(), new TencentMapAnswers(mapper, clock));
        LOG.info("Reverse geocoding on: {} at {}, timeout {} ms, cells of {} decimal places", TencentMapSettings.PROVIDER,
                geocoder, t.timeout().toMillis(), t.decimals());
        return new ReverseGeocoding(geocoder, ReverseGeocoding.cache(t.maxEntries(), t.ttl(), Ticker.systemTicker()),
                new ProviderGate(TencentMapSettings.PROVIDER, t.pause(), clock), t.decimals(),
                TencentMapSettings.PROVIDER, metrics);
    }
}
