package io.mphub.provider;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.deliver.HttpAnswers;
import io.mphub.event.Results;

/**
 * What the hub gives a provider to build its kinds, callbacks and enrichers with: the clock, JSON, where the hub
 * publishes its own events, and the metrics registry. Its settings it has already read ({@link Provider#configure}).
 */
public record ProviderContext(Clock clock, ObjectMapper mapper, Results results, MeterRegistry metrics) {

    /** The shared send of a kind's requests, and the meaning of a plain HTTP answer, on this clock. */
    public ProviderCall call() {
        return new ProviderCall(new HttpAnswers(clock));
    }
}
