package io.mphub.provider.wechatpay;

import java.net.URI;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mphub.callback.Callback;
import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Kind;
import io.mphub.provider.Provider;
import io.mphub.provider.ProviderContext;

/**
 * WeChat Pay: kinds {@code wechatpay-v3} (mini-program orders and refunds, API v3) and {@code wechatpay-v2} (legacy
 * merchants' orders, API v2), and the payment callback {@code /callbacks/wechatpay}, served while the APIv3 key is set.
 */
public final class WeChatPayProvider implements Provider {

    private static final Optional<URI> WECHAT_PAY = Optional.of(URI.create(WeChatPayV3Kind.DEFAULT_URL));

    @Override
    public String title() {
        return "WeChat Pay";
    }

    @Override
    public List<Setting<?>> settings() {
        return WeChatPaySettings.ALL;
    }

    @Override
    public List<KindName> kinds() {
        Map<String, String> real = Map.of(
                "data.openId", "the payer's openid: WeChat Pay charges this user",
                "subject", "the payment prepared is published back with this subject, for the user's mini program");
        return List.of(new KindName(WeChatPayV3Kind.NAME, WECHAT_PAY).needing(real),
                new KindName(WeChatPayV2Kind.NAME, WECHAT_PAY).needing(real));
    }

    @Override
    public Configured configure(Settings.Reader settings, List<Destination> destinations, Setup setup) {
        WeChatPaySettings merchant = new WeChatPaySettings(settings);
        Optional<V3Merchant> v3 = destinations.stream().anyMatch(d -> d.kind().equals(WeChatPayV3Kind.NAME))
                ? V3Merchant.read(merchant) : Optional.empty();
        Optional<V2Merchant> v2 = destinations.stream().anyMatch(d -> d.kind().equals(WeChatPayV2Kind.NAME))
                ? V2Merchant.read(merchant) : Optional.empty();
        // The payment callback: whenever the APIv3 key is set, it is what decrypts notifications.
        boolean callback = settings.isSet(WeChatPaySettings.APIV3_KEY);
        Optional<Map<String, PublicKey>> platformKeys = callback ? merchant.platformKeys() : Optional.empty();
        Optional<Secret> apiV3Key = callback ? merchant.apiV3Key() : Optional.empty();
        return new Configured() {
            @Override
            public Kind kind(Destination destination, ProviderContext context) {
                // Start-up stops on any problem of the merchant's settings, so both are read when asked for.
                return destination.kind().equals(WeChatPayV3Kind.NAME)
                        ? new WeChatPayV3Kind(destination, v3.orElseThrow(), context)
                        : new WeChatPayV2Kind(destination, v2.orElseThrow(), context);
            }

            @Override
            public Map<String, Callback> callbacks(ProviderContext context) {
                return callback ? Map.of(WeChatPayCallback.NAME, WeChatPayCallback.create(platformKeys.orElseThrow(),
                        apiV3Key.orElseThrow(), context)) : Map.of();
            }
        };
    }
}
