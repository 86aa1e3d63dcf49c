package io.mphub.sign;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLEncoder;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Query parameters sorted by name and joined as {@code k=v&…}, as the map services sign them (Tencent Location Service,
 * AMap): over the raw values for the signature, URL-encoded for the request.
 */
final class SortedQuery {

    private SortedQuery() {
    }

    /** For the signature: raw values. */
    static String raw(Map<String, String> params) {
        return join(params, UnaryOperator.identity());
    }

    /** For the request: names and values percent-encoded as RFC 3986 asks (a space is %20, not a form's +). */
    static String encoded(Map<String, String> params) {
        return join(params, text -> URLEncoder.encode(text, UTF_8).replace("+", "%20"));
    }

    private static String join(Map<String, String> params, UnaryOperator<String> encoding) {
        if (params.containsKey("sig")) {
            throw new IllegalArgumentException("sig is computed here, leave it out of params");
        }
        StringJoiner query = new StringJoiner("&");
        new TreeMap<>(params).forEach((name, value) -> query.add(encoding.apply(name) + "=" + encoding.apply(value)));
        return query.toString();
    }
}
