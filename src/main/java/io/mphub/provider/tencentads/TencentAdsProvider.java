package io.mphub.provider.tencentads;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.deliver.BatchKind;
import io.mphub.deliver.Batching;
import io.mphub.deliver.Destination;
import io.mphub.provider.EventNames;
import io.mphub.provider.EventNamesFile;
import io.mphub.provider.Provider;
import io.mphub.provider.ProviderCall;
import io.mphub.provider.ProviderContext;

/**
 * Tencent Ads (腾讯广告): kind {@code tencent-ads} reports orders, payments and sign-ups as conversions (user actions)
 * of the ads that brought users into the mini program, in batches of up to 50.
 */
public final class TencentAdsProvider implements Provider {

    public static final String KIND = "tencent-ads";
    static final String DEFAULT_URL = "https://api.e.qq.com/v3.0";
    /** Tencent's action types are upper-case identifiers: COMPLETE_ORDER, PURCHASE, REGISTER, … */
    private static final Pattern ACTION_TYPE = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");
    static final EventNamesFile.NameRule ACTION_RULE = new EventNamesFile.NameRule("Tencent Ads",
            name -> ACTION_TYPE.matcher(name).matches() ? null : "is not a Tencent Ads action type",
            "use one of Tencent's action types in upper case, e.g. COMPLETE_ORDER, PURCHASE, REGISTER");

    @Override
    public String title() {
        return "Tencent Ads (conversions)";
    }

    @Override
    public List<Setting<?>> settings() {
        return TencentAdsSettings.ALL;
    }

    @Override
    public List<KindName> kinds() {
        return List.of(new KindName(KIND, Optional.of(URI.create(DEFAULT_URL)), Batching.ALWAYS, TencentAdsKind.LIMITS)
                .needing(Map.of("data.openId", "the user's wechat_openid: Tencent Ads matches the conversion to the ad"
                        + " click by it", "data.appId", "wechat_app_id, required with the openid")));
    }

    @Override
    public Configured configure(Settings.Reader settings, List<Destination> destinations, Setup setup) {
        Optional<TencentAdsSettings> account = destinations.stream().findFirst()
                .flatMap(d -> TencentAdsSettings.read(settings, d.name()));
        Optional<EventNames> actionTypes = destinations.isEmpty() ? Optional.empty()
                : EventNamesFile.read(settings, TencentAdsSettings.ACTIONS,
                        setup.routesDir().resolve("tencent-ads-actions.yaml"), ACTION_RULE);
        return new Configured() {
            @Override
            public BatchKind batchKind(Destination destination, ProviderContext context) {
                ProviderCall call = context.call();
                return new TencentAdsKind(destination, account.orElseThrow(),
                        new TencentAdsActions(context.mapper(), actionTypes.orElseThrow()),
                        new TencentAdsAnswers(context.mapper(), call.http(), context.clock()), call, context.clock());
            }
        };
    }
}
