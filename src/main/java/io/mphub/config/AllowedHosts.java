package io.mphub.config;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The hosts mphub may send to ({@code mphub.security.allowed-hosts}): exact names, or {@code *.example.com} for any
 * subdomain. Every URL the hub sends to is checked here, once: a destination's, a provider's, a sandbox's. A URL
 * pointing elsewhere stops start-up, so a mistyped or injected URL cannot carry events out.
 */
public record AllowedHosts(List<String> patterns) {

    public static final Setting<List<String>> SETTING = Setting.list("mphub.security.allowed-hosts")
            .defaultValue(List.of("localhost", "127.0.0.1", "api.mch.weixin.qq.com", "api.weixin.qq.com",
                    "poll.kuaidi100.com", "qiyukf.com", "apis.map.qq.com",
                    "restapi.amap.com", "api.e.qq.com"))
            .description("Hosts the hub may send to: exact names or *.domain (any subdomain, not the domain itself),"
                    + " comma-separated. A destination or provider URL elsewhere stops start-up. Setting it replaces"
                    + " the whole default list.");

    public AllowedHosts {
        patterns = patterns.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    }

    public static AllowedHosts read(Settings.Reader settings) {
        return new AllowedHosts(settings.get(SETTING));
    }

    public boolean permits(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return patterns.stream().anyMatch(p -> p.startsWith("*.") ? h.endsWith(p.substring(1)) : h.equals(p));
    }

    /**
     * The setting's URL (its value, or its default) when its host is allowed; otherwise a problem naming it, and
     * empty. Empty too when it is neither set nor has a default.
     */
    public Optional<URI> url(Settings.Reader settings, Setting<URI> setting) {
        return settings.optional(setting).filter(url -> allowed(settings, setting, url));
    }

    /** Whether {@code url}, the value of {@code setting}, is allowed; a problem naming the setting when not. */
    public boolean allowed(Settings.Reader settings, Setting<URI> setting, URI url) {
        if (permits(url.getHost())) {
            return true;
        }
        settings.problem(setting, "host '" + url.getHost() + "' is not on " + SETTING.key(),
                "add it to " + SETTING.envName() + " if the hub is meant to send there");
        return false;
    }
}
