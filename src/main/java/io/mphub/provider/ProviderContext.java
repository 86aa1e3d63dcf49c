package io.mphub.provider;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.deliver.HttpAnswers;
import io.mphub.event.Results;
import io.mphub.kafka.JobLedger;

/**
 * What the hub gives a provider to build its kinds, callbacks and enrichers with: the clock, JSON, where the hub
 * publishes its own events, the metrics registry, and where its scheduled jobs keep what they did (in Kafka). Its
 * settings it has already read ({@link Provider#configure}).
 */
public record ProviderContext(Clock clock, ObjectMapper mapper, Results results, MeterRegistry metrics,
        JobLedger jobs) {

    /** Without Kafka behind it (no job can run): for tests of kinds and callbacks. */
    public ProviderContext(Clock clock, ObjectMapper mapper, Results results, MeterRegistry metrics) {
        this(clock, mapper, results, metrics, null);
    }

    /** The shared send of a kind's requests, and the meaning of a plain HTTP answer, on this clock. */
    public ProviderCall call() {
        return new ProviderCall(new HttpAnswers(clock));
    }
}
