package io.mphub.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The hosts mphub may send to ({@code mphub.security.allowed-hosts}): exact names, or {@code *.example.com} for
 * any subdomain. A destination pointing elsewhere fails validation, so a mistyped or injected URL cannot
 * carry events out.
 */
public record AllowedHosts(List<String> patterns) {

    public static AllowedHosts parse(String csv) {
        return new AllowedHosts(Arrays.stream(csv.split(","))
                .map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList());
    }

    public boolean permits(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return patterns.stream().anyMatch(p -> p.startsWith("*.") ? h.endsWith(p.substring(1)) : h.equals(p));
    }
}
