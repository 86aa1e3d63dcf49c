package io.mphub.provider.wechatpay;

import java.net.URI;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;

import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Secret;

/**
 * A WeChat Pay API v3 merchant as the settings describe it: what signs our requests, what verifies WeChat Pay's
 * answers and callbacks, and where WeChat Pay reports payments.
 *
 * @param refundNotifyUrl where refund results go: the merchant's own handler, never the hub's payment callback;
 *                        null: the one set in the merchant platform
 */
public record V3Merchant(String mchid, String serial, PrivateKey merchantKey, Map<String, PublicKey> platformKeys,
        Secret apiV3Key, URI notifyUrl, URI refundNotifyUrl) {

    /** Reads every item, reporting each problem; empty when there is any. */
    public static Optional<V3Merchant> read(WeChatPaySettings s) {
        int before = s.problems().size();
        Optional<String> mchid = mchid(s);
        Optional<String> serial = s.required(WeChatPaySettings.MERCHANT_SERIAL, "the merchant API certificate serial number",
                "set it to the serial of apiclient_cert.pem (merchant platform → API安全 → 商户API证书)");
        if (serial.isPresent() && !serial.get().matches("[0-9A-Fa-f]+")) {
            s.problems().add(Problem.setting(WeChatPaySettings.MERCHANT_SERIAL, "'" + serial.get()
                    + "' is not a certificate serial number (hex digits)", "copy the serial from the merchant platform, "
                    + "or run: openssl x509 -noout -serial -in apiclient_cert.pem"));
        }
        Optional<PrivateKey> key = s.merchantKey();
        Optional<Map<String, PublicKey>> platformKeys = s.platformKeys();
        Optional<Secret> apiV3Key = s.apiV3Key();
        Optional<URI> notifyUrl = s.notifyUrl(WeChatPaySettings.NOTIFY_URL, true, true);
        Optional<URI> refundNotifyUrl = s.notifyUrl(WeChatPaySettings.REFUND_NOTIFY_URL, false, true);
        if (refundNotifyUrl.isPresent() && isPaymentCallback(refundNotifyUrl.get(), notifyUrl)) {
            s.problems().add(Problem.setting(WeChatPaySettings.REFUND_NOTIFY_URL, "'" + refundNotifyUrl.get()
                    + "' is the hub's payment callback, which refuses refund notifications (they carry no payer "
                    + "openid), so WeChat Pay would retry each refund outcome for a day and then drop it",
                    "set it to your own refund handler, or leave it empty to use the one set in the merchant platform"));
        }
        if (s.problems().size() > before) {
            return Optional.empty();
        }
        return Optional.of(new V3Merchant(mchid.orElseThrow(), serial.orElseThrow(), key.orElseThrow(),
                platformKeys.orElseThrow(), apiV3Key.orElseThrow(), notifyUrl.orElseThrow(), refundNotifyUrl.orElse(null)));
    }

    /** Whether {@code url} reaches {@code /callbacks/wechatpay}: its path, or the same host and path as notify-url. */
    private static boolean isPaymentCallback(URI url, Optional<URI> notifyUrl) {
        String path = withoutTrailingSlash(url.getPath());
        return path.equals("/callbacks/" + WeChatPayCallback.NAME) || notifyUrl.isPresent()
                && url.getHost().equalsIgnoreCase(notifyUrl.get().getHost())
                && path.equals(withoutTrailingSlash(notifyUrl.get().getPath()));
    }

    private static String withoutTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** The merchant id: digits, as the merchant platform shows it. */
    static Optional<String> mchid(WeChatPaySettings s) {
        Optional<String> mchid = s.required(WeChatPaySettings.MCHID, "the WeChat Pay merchant id (mchid)",
                "set it to the 商户号 of the merchant platform");
        if (mchid.isPresent() && !mchid.get().matches("[0-9]{1,32}")) {
            s.problems().add(Problem.setting(WeChatPaySettings.MCHID, "'" + mchid.get() + "' is not a merchant id",
                    "use the digits of the 商户号"));
            return Optional.empty();
        }
        return mchid;
    }

    @Override
    public String toString() {
        return "V3Merchant[mchid=" + mchid + ", serial=" + serial + ", platformKeys=" + platformKeys.keySet() + "]";
    }
}
