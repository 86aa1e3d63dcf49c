package io.mphub.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One setting, declared once: its key, its type, its default, what it is for, whether it is a secret, and what an
 * operator should do when it is wrong. The pattern of Kafka's {@code ConfigDef} and Debezium's {@code Field}, with
 * the two things an operator of mphub is promised besides: the environment variable that sets it, and the fix.
 * <p>
 * Each capability declares its settings as constants in one place ({@code KafkaSettings}, {@code DeliverySettings},
 * one class per provider, …) and reads them through a {@link Settings.Reader}, which collects every problem. The
 * documentation's table is generated from the declarations, and a test holds {@code application.properties} (the
 * operator's commented copy) to them.
 *
 * @param <T> the value's type
 */
public final class Setting<T> {

    /** The placeholder of a per-destination or per-app key, e.g. {@code mphub.destinations.<name>.url}. */
    public static final String NAME = "<name>";

    private final String key;
    private final String type;
    private final Function<String, T> parser;
    private final Function<T, String> printer;
    private final T defaultValue;
    private final boolean secret;
    private final String description;
    private final String fix;
    private final List<Rule<T>> rules;

    /** A condition on the value, with what is wrong when it does not hold: the whole sentence, for that value. */
    private record Rule<T>(Predicate<T> holds, Function<T, String> problem) {
    }

    private Setting(String key, String type, Function<String, T> parser, Function<T, String> printer, T defaultValue,
            boolean secret, String description, String fix, List<Rule<T>> rules) {
        this.key = key;
        this.type = type;
        this.parser = parser;
        this.printer = printer;
        this.defaultValue = defaultValue;
        this.secret = secret;
        this.description = description;
        this.fix = fix;
        this.rules = List.copyOf(rules);
    }

    private static <T> Setting<T> of(String key, String type, Function<String, T> parser, Function<T, String> printer) {
        return new Setting<>(key, type, parser, printer, null, false, "", null, List.of());
    }

    public static Setting<String> text(String key) {
        return of(key, "text", s -> s, s -> s);
    }

    public static Setting<Integer> integer(String key) {
        return of(key, "a whole number", s -> Integer.valueOf(number(s)), String::valueOf);
    }

    public static Setting<Long> longNumber(String key) {
        return of(key, "a whole number", s -> Long.valueOf(number(s)), String::valueOf);
    }

    public static Setting<Double> decimal(String key) {
        return of(key, "a number", s -> Double.valueOf(number(s)), Setting::decimalText);
    }

    /** {@code true}/{@code false} (also {@code yes}/{@code no}, {@code on}/{@code off}). */
    public static Setting<Boolean> flag(String key) {
        return of(key, "true or false", Setting::bool, String::valueOf);
    }

    /** Milliseconds, as {@code …-ms} keys say. */
    public static Setting<Duration> millis(String key) {
        return of(key, "milliseconds", s -> Duration.ofMillis(Long.parseLong(number(s))), d -> String.valueOf(d.toMillis()))
                .check(d -> !d.isNegative(), "must not be negative");
    }

    /** Comma-separated; blanks around and empty items are dropped. */
    public static Setting<List<String>> list(String key) {
        return of(key, "a comma-separated list", s -> Arrays.stream(s.split(",")).map(String::trim)
                .filter(item -> !item.isEmpty()).toList(), l -> String.join(",", l));
    }

    /** One of {@code values}, matched without regard to case and given back as declared. */
    public static Setting<String> oneOf(String key, String... values) {
        List<String> allowed = List.of(values);
        return of(key, "one of " + String.join(", ", allowed), s -> allowed.stream()
                .filter(v -> v.equalsIgnoreCase(s)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not one of " + String.join(", ", allowed))), v -> v);
    }

    /** An absolute http or https URL. */
    public static Setting<URI> url(String key) {
        return of(key, "an http(s) URL", Setting::httpUrl, URI::toString);
    }

    /** A credential: from the environment or the secrets file only, never shown. */
    public static Setting<Secret> secret(String key) {
        return new Setting<>(key, "a secret", Secret::new, s -> "", null, true, "", null, List.of());
    }

    public Setting<T> defaultValue(T value) {
        return new Setting<>(key, type, parser, printer, value, secret, description, fix, rules);
    }


    public Setting<T> description(String text) {
        return new Setting<>(key, type, parser, printer, defaultValue, secret, text, fix, rules);
    }

    /** What an operator should do when the setting is wrong or missing; by default, "set it to" its type. */
    public Setting<T> fix(String text) {
        return new Setting<>(key, type, parser, printer, defaultValue, secret, description, text, rules);
    }

    /** A condition the value must meet; {@code problem} says what is wrong when it does not, after the value. */
    public Setting<T> check(Predicate<T> holds, String problem) {
        return check(holds, value -> shown(value) + " " + problem);
    }

    /**
     * A condition the value must meet; {@code problem} gives the whole sentence for a value that does not, e.g. naming
     * the one item of a list that is wrong. For a secret, it must not show the value.
     */
    public Setting<T> check(Predicate<T> holds, Function<T, String> problem) {
        List<Rule<T>> more = new ArrayList<>(rules);
        more.add(new Rule<>(holds, problem));
        return new Setting<>(key, type, parser, printer, defaultValue, secret, description, fix, more);
    }

    /** From {@code min} to {@code max}, both included (for a value type that is {@link Comparable}). */
    @SuppressWarnings("unchecked")
    public Setting<T> range(T min, T max) {
        return check(v -> ((Comparable<T>) v).compareTo(min) >= 0 && ((Comparable<T>) v).compareTo(max) <= 0,
                "must be from " + printer.apply(min) + " to " + printer.apply(max)
                        + ("milliseconds".equals(type) ? " ms" : ""));
    }

    /** The same setting for one destination or app: {@code <name>} in the key replaced by {@code name}. */
    public Setting<T> forName(String name) {
        return new Setting<>(key.replace(NAME, name), type, parser, printer, defaultValue, secret,
                description, fix, rules);
    }

    public String key() {
        return key;
    }

    /** The environment variable that sets it: the key in upper case, '.' and '-' turned into '_'. */
    public String envName() {
        return Settings.envName(key);
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** The default as {@code application.properties} writes it; empty when there is none. */
    public String defaultText() {
        return defaultValue == null ? "" : printer.apply(defaultValue);
    }

    public boolean isSecret() {
        return secret;
    }

    public String description() {
        return description;
    }

    public String type() {
        return type;
    }

    /** What to do about a problem with it. */
    public String fix() {
        if (fix != null) {
            return fix;
        }
        return secret ? "set " + envName() + " (environment or secrets file, never routes/)"
                : "set " + envName() + " to " + type;
    }

    /**
     * The value of {@code raw} (text as a source gives it, not blank), or why it is not one: a parse failure or the
     * first rule broken.
     */
    Parsed<T> parse(String raw) {
        T value;
        try {
            value = parser.apply(raw.trim());
        } catch (IllegalArgumentException e) {
            // Never the text itself for a secret.
            return new Parsed<>(null, (secret ? "the value" : "'" + raw.trim() + "'") + " is not " + type);
        }
        for (Rule<T> rule : rules) {
            if (!rule.holds().test(value)) {
                return new Parsed<>(null, rule.problem().apply(value));
            }
        }
        return new Parsed<>(value, null);
    }

    /** The value as a problem quotes it; never a secret's. */
    private String shown(T value) {
        return secret ? "the value" : "'" + printer.apply(value) + "'";
    }

    /** A value, or the problem that kept it from being one. */
    record Parsed<T>(T value, String problem) {
    }

    private static String number(String s) {
        // "1_000" and "1 000" are not numbers; "+5" is.
        if (!s.matches("[+-]?[0-9.eE+-]+")) {
            throw new NumberFormatException(s);
        }
        return s;
    }

    private static boolean bool(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException(s);
        };
    }

    /** 100 as "100", 2.5 as "2.5": as an operator writes it. */
    private static String decimalText(Double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) ? String.format(Locale.ROOT, "%.0f", d) : d.toString();
    }

    private static URI httpUrl(String s) {
        try {
            URI url = new URI(s);
            if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException(s);
            }
            return url;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Setting<?> s && s.key.equals(key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key);
    }

    @Override
    public String toString() {
        return key;
    }
}
