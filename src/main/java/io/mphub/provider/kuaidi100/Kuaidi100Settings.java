package io.mphub.provider.kuaidi100;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;

/**
 * The Kuaidi100 account the hub subscribes with ({@code mphub.kuaidi100.*}). Shared by every destination of kind
 * {@code kuaidi100} and by the push callback.
 *
 * @param key         the authorisation key (授权 key) from the Kuaidi100 console
 * @param masterSalt  the secret from which each subscription's salt is derived (see
 *                    {@link io.mphub.sign.Kuaidi100SubscriptionSalt})
 * @param callbackUrl the public URL of the hub's {@code /callbacks/kuaidi100}, without a query
 */
public record Kuaidi100Settings(Secret key, Secret masterSalt, URI callbackUrl) {

    /** Shorter master salts are refused: the salt is what authenticates every push. */
    static final int MIN_SALT_LENGTH = 16;
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    public static final Setting<Secret> KEY = Setting.secret("mphub.kuaidi100.key")
            .fix("set MPHUB_KUAIDI100_KEY to the key from the Kuaidi100 console (environment or secrets file)")
            .description("The authorisation key (授权 key) of the Kuaidi100 console. Required by kind kuaidi100. When"
                    + " Kuaidi100 refuses it (600, 601) the destination pauses for 10 minutes and logs an ERROR; nothing"
                    + " is dead-lettered.");
    public static final Setting<Secret> SALT = Setting.secret("mphub.kuaidi100.salt")
            .check(s -> s.value().length() >= MIN_SALT_LENGTH, "is shorter than " + MIN_SALT_LENGTH
                    + " characters: it is what authenticates every push")
            .fix("set MPHUB_KUAIDI100_SALT to a random secret, e.g. openssl rand -hex 32 (environment or secrets file)")
            .description("The master salt from which each subscription's salt is derived (HMAC-SHA256 of its app, user,"
                    + " order and waybill); at least 16 characters. While it is set the push callback /callbacks/kuaidi100"
                    + " is served, with or without a kuaidi100 destination; changing it makes the pushes of running"
                    + " subscriptions fail verification. Required by kind kuaidi100.");
    public static final Setting<URI> CALLBACK_URL = Setting.url("mphub.kuaidi100.callback-url")
            // Pushes carry the receiver's phone and the parcel's whereabouts: plain http only on this machine.
            .check(u -> "https".equals(u.getScheme()) || LOCAL_HOSTS.contains(u.getHost()),
                    "must be https (pushes carry personal data)")
            .check(u -> u.getRawQuery() == null && u.getRawFragment() == null,
                    "must have no query or fragment (the hub adds its own query)")
            .fix("set MPHUB_KUAIDI100_CALLBACK_URL to https://<your host>/callbacks/kuaidi100, without a query (http"
                    + " only for localhost)")
            .description("The public https URL of this hub's /callbacks/kuaidi100, without a query (the hub adds appId,"
                    + " openId, orderId, waybillNo). Plain http only for localhost. Behind a reverse proxy: the proxy's"
                    + " URL, passing the query through. Required by kind kuaidi100.");

    public static final List<Setting<?>> ALL = List.of(KEY, SALT, CALLBACK_URL);

    /**
     * The account, when a destination subscribes with it: every setting required.
     *
     * @param destination a destination of kind kuaidi100, for the messages
     */
    static Optional<Kuaidi100Settings> read(Settings.Reader settings, String destination) {
        Settings.Reader mine = settings.section();
        String who = "destination '" + destination + "' (kind kuaidi100)";
        Optional<Secret> key = mine.require(KEY, who + " needs the Kuaidi100 authorisation key");
        Optional<Secret> salt = mine.require(SALT, who + " needs a master salt to sign its subscriptions' pushes");
        Optional<URI> url = mine.require(CALLBACK_URL, who + " needs the public URL Kuaidi100 pushes to");
        return mine.ok() ? Optional.of(new Kuaidi100Settings(key.orElseThrow(), salt.orElseThrow(), url.orElseThrow()))
                : Optional.empty();
    }
}
