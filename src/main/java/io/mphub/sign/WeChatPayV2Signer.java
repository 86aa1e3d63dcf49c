package io.mphub.sign;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Signs and verifies WeChat Pay API v2 parameters (legacy merchants), with MD5 or HMAC-SHA256.
 *
 * <p>WeChat Pay v2: sort the non-empty parameters by name (ASCII), leave out {@code sign}, join as {@code k=v&…},
 * append {@code &key=<API key>}, then MD5 or HMAC-SHA256 keyed with the API key, as upper-case hex.
 */
public final class WeChatPayV2Signer {

    /** The {@code sign_type} values of WeChat Pay v2. */
    public enum SignType {
        MD5("MD5"), HMAC_SHA256("HMAC-SHA256");

        private final String wireName;

        SignType(String wireName) {
            this.wireName = wireName;
        }

        /** The value of the {@code sign_type} parameter. */
        public String wireName() {
            return wireName;
        }

        /** The sign type of a {@code sign_type} value. */
        public static SignType of(String wireName) {
            for (SignType type : values()) {
                if (type.wireName.equals(wireName)) {
                    return type;
                }
            }
            throw new IllegalArgumentException("no sign type " + wireName);
        }
    }

    private static final String SIGN = "sign";

    private final String apiKey;

    /** @param apiKey the merchant's v2 API key (32 characters), set in the merchant platform */
    public WeChatPayV2Signer(String apiKey) {
        this.apiKey = Crypto.requireText(apiKey, "apiKey");
    }

    /** The {@code sign} value for {@code params}; a {@code sign} already among them is ignored. */
    public String sign(Map<String, String> params, SignType type) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(params).forEach((name, value) -> {
            if (!name.equals(SIGN) && value != null && !value.isEmpty()) { // WeChat Pay v2: empty values are not signed
                text.append(name).append('=').append(value).append('&');
            }
        });
        text.append("key=").append(apiKey);
        String hex = switch (Objects.requireNonNull(type, "type")) {
            case MD5 -> Crypto.md5Hex(text.toString());
            case HMAC_SHA256 -> Crypto.hmacHex("HmacSHA256", apiKey, text.toString());
        };
        return hex.toUpperCase(Locale.ROOT);
    }

    /** Checks the {@code sign} parameter of a v2 response or notification. */
    public Verdict verify(Map<String, String> params, SignType type) {
        String received = params.get(SIGN);
        if (Crypto.isBlank(received)) {
            return Verdict.MISSING_SIGNATURE;
        }
        return Crypto.sameText(sign(params, type), received) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
    }
}
