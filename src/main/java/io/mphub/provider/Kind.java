package io.mphub.provider;

import java.util.List;

import io.mphub.config.ConfigurationException;
import io.mphub.config.Settings;
import io.mphub.deliver.Destination;

/**
 * One kind of destination, as {@code mphub.destinations.<name>.kind} names it.
 *
 * @param defaultUrl the provider's own base URL, used when the destination sets none (null: a URL is required)
 * @param check      reads the kind's own settings (credentials, key files) at start-up and reports every problem,
 *                   so that a misconfigured provider stops the hub before it consumes anything
 * @param factory    builds the kind once the hub's parts exist
 */
public record Kind(String name, String defaultUrl, Check check, Factory factory) {

    @FunctionalInterface
    public interface Check {
        void check(String destination, Settings settings, List<ConfigurationException.Problem> problems);
    }

    @FunctionalInterface
    public interface Factory {
        DestinationKind create(Destination destination, ProviderContext context);
    }
}
