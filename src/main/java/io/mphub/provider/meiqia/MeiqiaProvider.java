package io.mphub.provider.meiqia;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mphub.callback.Callback;
import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.deliver.Destination;
import io.mphub.provider.CustomerServiceEvents;
import io.mphub.provider.Provider;
import io.mphub.provider.ProviderContext;

/**
 * Meiqia (美洽, customer service): its webhooks to the hub, {@code /callbacks/meiqia}, published as the same
 * {@code mp.cs.*} events as Qiyu's pushes. No destination kind: Meiqia's documented server APIs read conversations
 * and tickets, and set a customer's attributes only from its SDK on the device (docs/providers/meiqia.md).
 */
public final class MeiqiaProvider implements Provider {

    @Override
    public String title() {
        return "Meiqia";
    }

    @Override
    public List<Setting<?>> settings() {
        return MeiqiaSettings.ALL;
    }

    @Override
    public List<KindName> kinds() {
        return List.of();
    }

    @Override
    public Configured configure(Settings.Reader settings, List<Destination> destinations, Setup setup) {
        Optional<Secret> secret = settings.optional(MeiqiaSettings.WEBHOOK_SECRET);
        return new Configured() {
            @Override
            public Map<String, Callback> callbacks(ProviderContext context) {
                return secret.map(s -> Map.<String, Callback>of(MeiqiaCallback.NAME, new MeiqiaCallback(s.value(),
                        new CustomerServiceEvents(MeiqiaCallback.NAME, context.mapper(), context.results()),
                        context.clock()))).orElse(Map.of());
            }
        };
    }
}
