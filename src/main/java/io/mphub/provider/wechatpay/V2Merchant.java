package io.mphub.provider.wechatpay;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Secret;
import io.mphub.sign.WeChatPayV2Signer.SignType;

/**
 * A legacy WeChat Pay API v2 merchant as the settings describe it.
 *
 * @param clientIp  {@code spbill_create_ip}, required by the v2 unified order; the order events carry no user IP
 * @param notifyUrl where WeChat Pay posts v2 payment results (XML); the hub does not receive those itself
 */
public record V2Merchant(String mchid, Secret apiKey, SignType signType, URI notifyUrl, String clientIp) {

    public static Optional<V2Merchant> read(WeChatPaySettings s) {
        int before = s.problems().size();
        Optional<String> mchid = V3Merchant.mchid(s);
        Optional<Secret> apiKey = s.v2ApiKey();
        SignType signType = signType(s);
        Optional<URI> notifyUrl = s.notifyUrl(WeChatPaySettings.V2_NOTIFY_URL, true, false);
        Optional<String> clientIp = s.required(WeChatPaySettings.V2_CLIENT_IP, "the spbill_create_ip of v2 orders",
                "set it to this server's public IP address (IPv4 or IPv6)");
        // An address literal only: nothing here may trigger a DNS lookup.
        if (clientIp.isPresent() && !clientIp.get().matches("(\\d{1,3}\\.){3}\\d{1,3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")) {
            s.problems().add(Problem.setting(WeChatPaySettings.V2_CLIENT_IP, "'" + clientIp.get()
                    + "' is not an IP address", "use an IPv4 or IPv6 address, not a host name"));
        }
        if (s.problems().size() > before) {
            return Optional.empty();
        }
        return Optional.of(new V2Merchant(mchid.orElseThrow(), apiKey.orElseThrow(), signType, notifyUrl.orElseThrow(),
                clientIp.orElseThrow()));
    }

    private static SignType signType(WeChatPaySettings s) {
        String value = s.settings().get(WeChatPaySettings.V2_SIGN_TYPE, SignType.HMAC_SHA256.wireName());
        return Arrays.stream(SignType.values())
                .filter(t -> t.wireName().equals(value.toUpperCase(Locale.ROOT)))
                .findFirst()
                .orElseGet(() -> {
                    s.problems().add(Problem.setting(WeChatPaySettings.V2_SIGN_TYPE, "unknown sign type '" + value + "'",
                            "use HMAC-SHA256 (recommended) or MD5"));
                    return SignType.HMAC_SHA256;
                });
    }

    @Override
    public String toString() {
        return "V2Merchant[mchid=" + mchid + ", signType=" + signType.wireName() + "]";
    }
}
