package io.mphub.sign;

import java.util.Map;

/**
 * AMap (高德) web service digital signature ({@code sig}) with the key's private key (私钥).
 *
 * <p>AMap: {@code sig = MD5(params sorted by name as k=v joined by & + private key)}, over raw UTF-8 values (URL-encoded
 * only when sending), the key included, no path. Its example: a=23, b=12, d=48, f=8, c=67 with private key
 * {@code bbbbb} → {@code MD5("a=23&b=12&c=67&d=48&f=8bbbbb")}.
 */
public final class AmapSigner {

    private final String privateKey;

    /** @param privateKey the private key shown for the key's digital signature in the AMap console */
    public AmapSigner(String privateKey) {
        this.privateKey = Crypto.requireText(privateKey, "privateKey");
    }

    /** The {@code sig} over every query parameter except {@code sig}, with raw values. */
    public String sig(Map<String, String> params) {
        return Crypto.md5Hex(SortedQuery.raw(params) + privateKey);
    }

    /** The query to send: parameters sorted by name, values URL-encoded, {@code sig} appended. */
    public String signedQuery(Map<String, String> params) {
        return SortedQuery.encoded(params) + "&sig=" + sig(params);
    }
}
