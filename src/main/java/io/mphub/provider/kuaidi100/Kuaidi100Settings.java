package io.mphub.provider.kuaidi100;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Secret;
import io.mphub.config.Settings;

/**
 * The Kuaidi100 account the hub subscribes with, read from {@code mphub.kuaidi100.*}. Shared by every destination
 * of kind {@code kuaidi100} and by the push callback.
 *
 * @param key         the authorisation key (授权 key) from the Kuaidi100 console
 * @param masterSalt  the secret from which each subscription's salt is derived (see
 *                    {@link io.mphub.sign.Kuaidi100SubscriptionSalt})
 * @param callbackUrl the public URL of the hub's {@code /callbacks/kuaidi100}, without a query
 */
public record Kuaidi100Settings(Secret key, Secret masterSalt, URI callbackUrl) {

    public static final String KEY = "mphub.kuaidi100.key";
    public static final String SALT = "mphub.kuaidi100.salt";
    public static final String CALLBACK_URL = "mphub.kuaidi100.callback-url";
    /** Shorter master salts are refused: the salt is what authenticates every push. */
    static final int MIN_SALT_LENGTH = 16;
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    /** Checks the settings a {@code kuaidi100} destination needs, adding one problem per missing or bad one. */
    public static void check(String destination, Settings settings, List<Problem> problems) {
        String who = "destination '" + destination + "' (kind kuaidi100)";
        if (settings.get(KEY).isEmpty()) {
            problems.add(Problem.setting(KEY, who + " needs the Kuaidi100 authorisation key",
                    "set " + Settings.envName(KEY) + " to the key from the Kuaidi100 console (environment or secrets file)"));
        }
        masterSalt(settings).ifPresentOrElse(salt -> saltProblem(salt).ifPresent(problems::add),
                () -> problems.add(Problem.setting(SALT, who + " needs a master salt to sign its subscriptions' pushes",
                "set " + Settings.envName(SALT) + " to a random secret, e.g. openssl rand -hex 32 (environment or secrets file)")));
        Optional<String> url = settings.get(CALLBACK_URL);
        if (url.isEmpty()) {
            problems.add(Problem.setting(CALLBACK_URL, who + " needs the public URL Kuaidi100 pushes to",
                    "set " + Settings.envName(CALLBACK_URL) + " to https://<your host>/callbacks/kuaidi100"));
        } else {
            callbackProblem(url.get()).ifPresent(what -> problems.add(Problem.setting(CALLBACK_URL, what,
                    "use https://<your host>/callbacks/kuaidi100, without a query (http only for localhost)")));
        }
    }

    /** Reads settings that {@link #check} accepted. */
    public static Kuaidi100Settings read(Settings settings) {
        return new Kuaidi100Settings(new Secret(settings.get(KEY).orElseThrow()), masterSalt(settings).orElseThrow(),
                URI.create(settings.get(CALLBACK_URL).orElseThrow()));
    }

    /** The master salt, when configured: the push callback is served whenever it is. */
    public static Optional<Secret> masterSalt(Settings settings) {
        return settings.get(SALT).map(Secret::new);
    }

    /**
     * What is wrong with a master salt, if anything. Checked by {@link #check} for a {@code kuaidi100} destination
     * and by {@link Kuaidi100Callback#fromSettings} for the push callback, which is served without one.
     */
    static Optional<Problem> saltProblem(Secret salt) {
        if (salt.value().length() >= MIN_SALT_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(Problem.setting(SALT, "the master salt is shorter than " + MIN_SALT_LENGTH
                + " characters: it is what authenticates every push", "set " + Settings.envName(SALT)
                + " to a random secret, e.g. openssl rand -hex 32"));
    }

    private static Optional<String> callbackProblem(String raw) {
        URI url;
        try {
            url = new URI(raw);
        } catch (URISyntaxException e) {
            return Optional.of("the callback URL is not a URL: " + e.getReason());
        }
        if (url.getHost() == null || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
            return Optional.of("the callback URL is not an absolute http(s) URL");
        }
        // Pushes carry the receiver's phone and the parcel's whereabouts: plain http only on this machine.
        if ("http".equals(url.getScheme()) && !LOCAL_HOSTS.contains(url.getHost())) {
            return Optional.of("the callback URL must be https (pushes carry personal data)");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            return Optional.of("the callback URL must have no query or fragment (the hub adds its own query)");
        }
        return Optional.empty();
    }
}
