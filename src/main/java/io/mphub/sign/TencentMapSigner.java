package io.mphub.sign;

import java.util.Map;

/**
 * Tencent Location Service WebService signature ({@code sig}) with the key's secret key (SK).
 *
 * <p>Tencent: {@code sig = lower-hex MD5(path + "?" + params sorted by name as k=v joined by & + SK)} over
 * raw values; values are URL-encoded only when sending, and the path must be the one requested.
 */
public final class TencentMapSigner {

    private final String secretKey;

    /** @param secretKey the SK shown for the key in the Tencent Location Service console */
    public TencentMapSigner(String secretKey) {
        this.secretKey = Crypto.requireText(secretKey, "secretKey");
    }

    /**
     * The {@code sig} for a request.
     *
     * @param path   the request path, e.g. {@code /ws/geocoder/v1}
     * @param params every query parameter except {@code sig}, with raw (not URL-encoded) values
     */
    public String sig(String path, Map<String, String> params) {
        return Crypto.md5Hex(path + "?" + SortedQuery.raw(params) + secretKey);
    }

    /**
     * The path and query to send: parameters sorted by name, values URL-encoded, {@code sig} appended, e.g.
     * {@code /ws/geocoder/v1?key=…&location=28.7%2C115.8&sig=…}.
     */
    public String signedPathAndQuery(String path, Map<String, String> params) {
        return path + "?" + SortedQuery.encoded(params) + "&sig=" + sig(path, params);
    }
}
