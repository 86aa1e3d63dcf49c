package io.mphub.provider;

import java.util.Locale;
import java.util.Map;

/**
 * What an analytics platform calls each event type: the name an operator mapped in the provider's event-names file
 * ({@link EventNamesFile}), else the type's short name ({@link #shortName}).
 */
public final class EventNames {

    private final Map<String, String> mapped;

    public EventNames(Map<String, String> mapped) {
        this.mapped = Map.copyOf(mapped);
    }

    /** The platform's name for events of {@code type}. */
    public String of(String type) {
        String name = mapped.get(type);
        return name != null ? name : shortName(type);
    }

    /** The types mapped by name, for the documentation and tests. */
    public Map<String, String> mapped() {
        return mapped;
    }

    /**
     * A type's name without the contract's prefixes, valid on every platform (a letter, then lower-case letters,
     * digits and '_', at most 100 characters): {@code mp.behaviour.page_view} → {@code page_view} (a behaviour is
     * named by what the user did), {@code mp.order.paid} → {@code order_paid}, {@code mp.user.login} →
     * {@code user_login}.
     */
    public static String shortName(String type) {
        String name = type.toLowerCase(Locale.ROOT);
        if (name.startsWith("mp.behaviour.")) {
            name = name.substring("mp.behaviour.".length());
        } else if (name.startsWith("mp.")) {
            name = name.substring("mp.".length());
        }
        name = name.replaceAll("[^a-z0-9_]", "_");
        if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
            name = "e_" + name;
        }
        return name.length() > 100 ? name.substring(0, 100) : name;
    }
}
