package io.mphub.testing;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.mphub.privacy.Pseudonyms;

/**
 * The privacy keys of the hubs a test run starts, made for the run: the audit key, and one pseudonym key per
 * destination. A test computes what a third party should see from them.
 */
public final class PrivacyKeys {

    public static final String AUDIT = TestSecrets.alphanumeric(44);
    private static final Map<String, String> PSEUDONYM_KEYS = new ConcurrentHashMap<>();

    private PrivacyKeys() {
    }

    /** The pseudonym key of {@code destination} in this run. */
    public static String pseudonymKey(String destination) {
        return PSEUDONYM_KEYS.computeIfAbsent(destination, d -> TestSecrets.alphanumeric(44));
    }

    /** The pseudonym {@code destination} knows {@code value} by. */
    public static String pseudonym(String destination, String value) {
        return new Pseudonyms(pseudonymKey(destination)).of(value);
    }

    /** The settings of the run's keys for {@code destinations}, and the audit key. */
    public static Map<String, String> properties(Iterable<String> destinations) {
        Map<String, String> p = new java.util.HashMap<>();
        p.put("mphub.privacy.audit-key", AUDIT);
        destinations.forEach(d -> p.put("mphub.destinations." + d + ".pseudonym-key", pseudonymKey(d)));
        return p;
    }

    /** The same as environment variables. */
    public static Map<String, String> env(Iterable<String> destinations) {
        Map<String, String> env = new java.util.HashMap<>();
        properties(destinations).forEach((k, v) -> env.put(k.toUpperCase(Locale.ROOT).replace('.', '_')
                .replace('-', '_'), v));
        return env;
    }
}
