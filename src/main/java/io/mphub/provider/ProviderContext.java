package io.mphub.provider;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.mphub.config.Settings;
import io.mphub.event.Results;
import io.mphub.provider.wechat.AccessTokens;

/**
 * What the hub gives every destination kind when it builds one: its settings (provider credentials are read from
 * here, already checked by the kind's {@link Kind.Check}), the clock, JSON, where the hub publishes its own
 * events, and the metrics registry.
 *
 * @param wechatTokens the WeChat access tokens, one per mini program, shared by every destination that calls
 *                     WeChat's server APIs (built once; the token job renews them)
 */
public record ProviderContext(Settings settings, Clock clock, ObjectMapper mapper, Results results,
        MeterRegistry metrics, AccessTokens wechatTokens) {
}
