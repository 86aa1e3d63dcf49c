package io.mphub.provider.wechatpay;

import java.net.URI;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.mphub.config.Secret;
import io.mphub.config.Settings;

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
        Settings.Reader settings = s.reader();
        Optional<String> mchid = s.mchid();
        Optional<String> serial = settings.require(WeChatPaySettings.MERCHANT_SERIAL,
                "the merchant API certificate serial number is not set");
        Optional<PrivateKey> key = s.merchantKey();
        Optional<Map<String, PublicKey>> platformKeys = s.platformKeys();
        Optional<Secret> apiV3Key = s.apiV3Key();
        Optional<URI> notifyUrl = settings.require(WeChatPaySettings.NOTIFY_URL,
                "the payment notification URL is not set");
        Settings.Reader refund = settings.section();
        Optional<URI> refundNotifyUrl = refund.optional(WeChatPaySettings.REFUND_NOTIFY_URL);
        if (refundNotifyUrl.isPresent() && isPaymentCallback(refundNotifyUrl.get(), notifyUrl)) {
            refund.problem(WeChatPaySettings.REFUND_NOTIFY_URL, "'" + refundNotifyUrl.get() + "' is the hub's payment"
                    + " callback, which refuses refund notifications (they carry no payer openid), so WeChat Pay would"
                    + " retry each refund outcome for a day and then drop it",
                    "set it to your own refund handler, or leave it empty to use the one set in the merchant platform");
        }
        if (Stream.of(mchid, serial, key, platformKeys, apiV3Key, notifyUrl).anyMatch(Optional::isEmpty)
                || !refund.ok()) {
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

    @Override
    public String toString() {
        return "V3Merchant[mchid=" + mchid + ", serial=" + serial + ", platformKeys=" + platformKeys.keySet() + "]";
    }
}
