package io.mphub.provider.wechatpay;

import java.net.URI;
import java.util.Optional;
import java.util.stream.Stream;

import io.mphub.config.Secret;
import io.mphub.config.Settings;
import io.mphub.sign.WeChatPayV2Signer.SignType;

/**
 * A legacy WeChat Pay API v2 merchant as the settings describe it.
 *
 * @param clientIp  {@code spbill_create_ip}, required by the v2 unified order; the order events carry no user IP
 * @param notifyUrl where WeChat Pay posts v2 payment results (XML); the hub does not receive those itself
 */
public record V2Merchant(String mchid, Secret apiKey, SignType signType, URI notifyUrl, String clientIp) {

    public static Optional<V2Merchant> read(WeChatPaySettings s) {
        Settings.Reader settings = s.reader();
        Optional<String> mchid = s.mchid();
        Optional<Secret> apiKey = settings.require(WeChatPaySettings.V2_API_KEY, "the v2 API key is not set");
        Settings.Reader type = settings.section();
        SignType signType = SignType.of(type.get(WeChatPaySettings.V2_SIGN_TYPE));
        Optional<URI> notifyUrl = settings.require(WeChatPaySettings.V2_NOTIFY_URL,
                "the payment notification URL is not set");
        Optional<String> clientIp = settings.require(WeChatPaySettings.V2_CLIENT_IP,
                "the spbill_create_ip of v2 orders is not set");
        if (Stream.of(mchid, apiKey, notifyUrl, clientIp).anyMatch(Optional::isEmpty) || !type.ok()) {
            return Optional.empty();
        }
        return Optional.of(new V2Merchant(mchid.orElseThrow(), apiKey.orElseThrow(), signType, notifyUrl.orElseThrow(),
                clientIp.orElseThrow()));
    }

    @Override
    public String toString() {
        return "V2Merchant[mchid=" + mchid + ", signType=" + signType.wireName() + "]";
    }
}
