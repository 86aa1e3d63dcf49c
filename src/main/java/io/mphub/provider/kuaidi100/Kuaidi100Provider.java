package io.mphub.provider.kuaidi100;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.mphub.callback.Callback;
import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Kind;
import io.mphub.provider.Provider;
import io.mphub.provider.ProviderCall;
import io.mphub.provider.ProviderContext;
import io.mphub.sign.Kuaidi100SubscriptionSalt;

/**
 * Kuaidi100 (logistics tracking): kind {@code kuaidi100} subscribes shipped orders to tracking, and the push callback
 * {@code /callbacks/kuaidi100} publishes each push as {@code mp.logistics.updated}.
 */
public final class Kuaidi100Provider implements Provider {

    public static final String KIND = "kuaidi100";

    @Override
    public String title() {
        return "Kuaidi100";
    }

    @Override
    public List<Setting<?>> settings() {
        return Kuaidi100Settings.ALL;
    }

    @Override
    public List<KindName> kinds() {
        return List.of(new KindName(KIND, Optional.of(URI.create("https://poll.kuaidi100.com"))).needing(Map.of(
                "data.openId", "the parcel's updates are published back for this user, to notify them",
                "subject", "the parcel's updates are published back with this subject",
                "data.receiverPhone", "Kuaidi100 asks SF Express and other carriers for the receiver's phone")));
    }

    @Override
    public Configured configure(Settings.Reader settings, List<Destination> destinations, Setup setup) {
        // The push callback is served whenever the master salt is set: subscriptions made earlier keep pushing after
        // a kind change. A destination needs the whole account.
        Optional<Kuaidi100Settings> account = destinations.isEmpty() ? Optional.empty()
                : Kuaidi100Settings.read(settings, destinations.get(0).name());
        Optional<Secret> salt = account.map(Kuaidi100Settings::masterSalt)
                .or(() -> destinations.isEmpty() ? settings.optional(Kuaidi100Settings.SALT) : Optional.empty());
        return new Configured() {
            @Override
            public Kind kind(Destination destination, ProviderContext context) {
                Kuaidi100Settings a = account.orElseThrow();
                Counter alreadySubscribed = Counter.builder(Kuaidi100Answers.ALREADY_SUBSCRIBED)
                        .description("shipped orders whose waybill Kuaidi100 already tracked (returnCode 501), counted"
                                + " as done")
                        .tag("destination", destination.name()).register(context.metrics());
                ProviderCall call = context.call();
                return new Kuaidi100Kind(destination, new SubscribeRequests(a.key(), a.callbackUrl(),
                        new Kuaidi100SubscriptionSalt(a.masterSalt().value()), context.mapper()),
                        new Kuaidi100Answers(context.mapper(), call.http(), alreadySubscribed), call,
                        context.mapper());
            }

            @Override
            public Map<String, Callback> callbacks(ProviderContext context) {
                return salt.<Map<String, Callback>>map(s -> Map.of(Kuaidi100Callback.NAME,
                        Kuaidi100Callback.create(s, context))).orElse(Map.of());
            }
        };
    }
}
