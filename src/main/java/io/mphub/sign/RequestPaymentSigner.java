package io.mphub.sign;

import java.security.PrivateKey;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Signs the parameters a mini program passes to {@code wx.requestPayment} after a WeChat Pay v3 JSAPI order.
 *
 * <p>{@code paySign} = Base64(SHA256withRSA(appId\ntimeStamp\nnonceStr\npackage\n)) with the merchant private key.
 */
public final class RequestPaymentSigner {

    /** The {@code wx.requestPayment} parameters; serialised by Jackson under their wire names. */
    public record RequestPayment(
            String timeStamp,
            String nonceStr,
            @JsonProperty("package") String packageValue,
            String signType,
            String paySign) {

        /** The parameters under their wire names, in the order WeChat documents them. */
        public Map<String, String> toMap() {
            Map<String, String> map = new LinkedHashMap<>();
            map.put("timeStamp", timeStamp);
            map.put("nonceStr", nonceStr);
            map.put("package", packageValue);
            map.put("signType", signType);
            map.put("paySign", paySign);
            return map;
        }
    }

    private final String appId;
    private final PrivateKey merchantKey;
    private final Clock clock;
    private final Supplier<String> nonces;

    /**
     * @param appId       the mini program's {@code appid}, the one the order was placed for
     * @param merchantKey the merchant API private key, the same that signs v3 requests
     */
    public RequestPaymentSigner(String appId, PrivateKey merchantKey, Clock clock, Supplier<String> nonces) {
        this.appId = Crypto.requireText(appId, "appId");
        this.merchantKey = Objects.requireNonNull(merchantKey, "merchantKey");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nonces = Objects.requireNonNull(nonces, "nonces");
    }

    /** @param prepayId the {@code prepay_id} returned by {@code POST /v3/pay/transactions/jsapi} */
    public RequestPayment sign(String prepayId) {
        String timeStamp = Long.toString(clock.instant().getEpochSecond()); // WeChat Pay: seconds, as a string
        String nonceStr = nonces.get();
        String packageValue = "prepay_id=" + Crypto.requireText(prepayId, "prepayId");
        String message = appId + "\n" + timeStamp + "\n" + nonceStr + "\n" + packageValue + "\n";
        return new RequestPayment(timeStamp, nonceStr, packageValue, "RSA", Rsa.sign(merchantKey, message));
    }
}
