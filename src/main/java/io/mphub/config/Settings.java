package io.mphub.config;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed reads of the hub's properties. The lookup is Camel's properties component, so every property can be
 * overridden by an environment variable of the same name in upper case with '.' and '-' turned into '_'.
 */
public final class Settings {

    private final Function<String, Optional<String>> lookup;

    public Settings(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    public Optional<String> get(String key) {
        return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String get(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    public int getInt(String key, int fallback) {
        return get(key).map(v -> parse(key, v, Integer::parseInt)).orElse(fallback);
    }

    public long getLong(String key, long fallback) {
        return get(key).map(v -> parse(key, v, Long::parseLong)).orElse(fallback);
    }

    public double getDouble(String key, double fallback) {
        return get(key).map(v -> parse(key, v, Double::parseDouble)).orElse(fallback);
    }

    public boolean getBoolean(String key, boolean fallback) {
        return get(key).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw invalid(key, v, "true or false");
        }).orElse(fallback);
    }

    /** The environment variable that overrides a property, for messages. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static <T> T parse(String key, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw invalid(key, value, "a number");
        }
    }

    private static ConfigurationException invalid(String key, String value, String expected) {
        return new ConfigurationException(java.util.List.of(new ConfigurationException.Problem(
                key + " (or " + envName(key) + ")", "'" + value + "' is not " + expected,
                "set it to " + expected)));
    }
}
