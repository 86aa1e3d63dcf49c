package io.mphub.provider.qiyu;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mphub.callback.Callback;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Kind;
import io.mphub.provider.CustomerServiceEvents;
import io.mphub.provider.Provider;
import io.mphub.provider.ProviderCall;
import io.mphub.provider.ProviderContext;
import io.mphub.sign.QiyuChecksum;

/**
 * Qiyu (NetEase customer service): kind {@code qiyu} updates the user's profile on the agent's side panel with logins,
 * orders, payments and parcels; {@code /callbacks/qiyu} publishes Qiyu's pushes (sessions, agents' messages, ratings)
 * as {@code mp.cs.*} events.
 */
public final class QiyuProvider implements Provider {

    public static final String KIND = "qiyu";

    @Override
    public String title() {
        return "Qiyu";
    }

    @Override
    public List<Setting<?>> settings() {
        return QiyuSettings.ALL;
    }

    @Override
    public List<KindName> kinds() {
        return List.of(new KindName(KIND, Optional.of(URI.create("https://qiyukf.com"))).needing(Map.of(
                "data.openId", "Qiyu's uid: the agent's panel shows the user the mini program's Qiyu SDK names")));
    }

    @Override
    public Configured configure(Settings.Reader settings, List<Destination> destinations, Setup setup) {
        Optional<QiyuSettings> app = QiyuSettings.read(settings, destinations.stream().findFirst()
                .map(Destination::name));
        return new Configured() {
            @Override
            public Kind kind(Destination destination, ProviderContext context) {
                QiyuSettings a = app.orElseThrow();
                ProviderCall call = context.call();
                return new QiyuKind(destination, new QiyuChecksum(a.appKey(), a.appSecret().value(), context.clock()),
                        new SidePanel(context.mapper(), a.orderLink()), new QiyuAnswers(context.mapper(), call.http()),
                        call, context.mapper());
            }

            @Override
            public Map<String, Callback> callbacks(ProviderContext context) {
                return app.map(a -> Map.<String, Callback>of(QiyuCallback.NAME, new QiyuCallback(a, context.clock(),
                        new CustomerServiceEvents(QiyuCallback.NAME, context.mapper(), context.results()))))
                        .orElse(Map.of());
            }
        };
    }
}
