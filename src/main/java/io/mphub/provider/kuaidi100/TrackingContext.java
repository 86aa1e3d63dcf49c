package io.mphub.provider.kuaidi100;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.net.URLEncoder;
import java.util.Locale;
import java.util.Optional;

import io.mphub.callback.FormFields;
import io.mphub.sign.Kuaidi100SubscriptionSalt;

/**
 * Whose parcel a subscription follows: what a push needs to become {@code mp.logistics.updated} for the right user
 * and order. Kuaidi100 keeps nothing of ours but the callback URL and the salt, so the app, user, order and waybill
 * number travel in the callback URL's query. The salt is derived from all four, so a query that was not ours fails
 * the push's signature.
 *
 * <p>The waybill number is taken from the query, not from the push's {@code lastResult.nu}: Kuaidi100 may write the
 * number its own way (case, spaces), and a salt derived from its spelling would fail every push of the
 * subscription. The push's number must still be the same parcel's ({@link #follows}).
 *
 * <p>The carrier is left out of the salt on purpose: Kuaidi100 may correct a company code it was given
 * ({@code comOld}/{@code comNew} in a push), while a waybill number never changes.
 */
record TrackingContext(String appId, String openId, String orderId, String waybillNo) {

    static final String APP_ID = "appId";
    static final String OPEN_ID = "openId";
    static final String ORDER_ID = "orderId";
    static final String WAYBILL_NO = "waybillNo";

    /** The {@code callbackurl} of this subscription: the hub's callback URL with the context as its query. */
    String callbackUrl(URI callback) {
        return callback + "?" + APP_ID + "=" + encode(appId) + "&" + OPEN_ID + "=" + encode(openId) + "&" + ORDER_ID
                + "=" + encode(orderId) + "&" + WAYBILL_NO + "=" + encode(waybillNo);
    }

    /** The subscription's {@code parameters.salt}. */
    String salt(Kuaidi100SubscriptionSalt salts) {
        return salts.derive(appId, openId, orderId, waybillNo);
    }

    /**
     * Whether a push's {@code lastResult.nu} names this subscription's parcel: the same number but for case and
     * white space, which Kuaidi100 may normalise.
     */
    boolean follows(String pushedNumber) {
        return normalised(pushedNumber).equals(normalised(waybillNo));
    }

    /** The context a push claims in its callback URL's query; empty if incomplete. */
    static Optional<TrackingContext> of(FormFields query) {
        Optional<String> appId = query.get(APP_ID);
        Optional<String> openId = query.get(OPEN_ID);
        Optional<String> orderId = query.get(ORDER_ID);
        Optional<String> waybillNo = query.get(WAYBILL_NO);
        if (appId.isEmpty() || openId.isEmpty() || orderId.isEmpty() || waybillNo.isEmpty()
                || waybillNo.get().isBlank()
                || (appId.get() + openId.get() + orderId.get() + waybillNo.get()).indexOf('\n') >= 0) {
            return Optional.empty();
        }
        return Optional.of(new TrackingContext(appId.get(), openId.get(), orderId.get(), waybillNo.get()));
    }

    private static String normalised(String number) {
        return number.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, UTF_8);
    }
}
