package io.mphub.callback;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLDecoder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of an {@code application/x-www-form-urlencoded} text: a form body or a URL's query. Values are
 * decoded as UTF-8; a field sent twice is refused rather than guessed at (the signed value and the used value
 * must be the same one).
 */
public final class FormFields {

    private final Map<String, String> fields;

    private FormFields(Map<String, String> fields) {
        this.fields = fields;
    }

    /**
     * @param encoded the form text as received, or null (no fields)
     * @throws IllegalArgumentException when a field repeats or an escape is broken
     */
    public static FormFields parse(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return new FormFields(fields);
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), UTF_8);
            if (fields.putIfAbsent(name, value) != null) {
                throw new IllegalArgumentException("field '" + name + "' is sent twice");
            }
        }
        return new FormFields(fields);
    }

    /** The field's value when it is present and not blank. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(fields.get(name)).filter(v -> !v.isBlank());
    }
}
