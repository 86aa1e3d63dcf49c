package io.mphub.ops;

import java.util.List;
import java.util.Optional;

import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;

/**
 * The operators' console ({@code mphub.console.*}): its own listener, apart from the callback port, bound to the
 * loopback address unless told otherwise; and the token every action that changes something asks for.
 *
 * @param port  0: any free port
 * @param token empty: the console shows, but takes no action
 */
public record ConsoleSettings(String host, int port, Optional<Secret> token, int deliveryLogSize) {

    public static final Setting<String> HOST = Setting.text("mphub.console.host").defaultValue("127.0.0.1")
            .description("The address of the operators' console and its JSON API. The loopback address keeps it to this"
                    + " machine (reach it through an SSH tunnel or a proxy that authenticates); never the callback"
                    + " port's.");
    public static final Setting<Integer> PORT = Setting.integer("mphub.console.port").defaultValue(8090)
            .range(0, 65535).fix("choose a free port other than mphub.http.port, or 0 for any")
            .description("The operators' console: the page at /, the JSON API under /api/. 0 picks a free port.");
    public static final Setting<Secret> TOKEN = Setting.secret("mphub.console.token")
            .check(t -> t.value().length() >= 16, "must be at least 16 characters")
            .fix("set a random value of at least 16 characters, e.g. openssl rand -hex 24, in the secrets file")
            .description("The operator token: pausing, resuming and replaying (from the page or the API, as"
                    + " 'Authorization: Bearer <token>') need it. Unset, the console only shows.");
    public static final Setting<Integer> DELIVERY_LOG_SIZE = Setting.integer("mphub.console.delivery-log-size")
            .defaultValue(200).range(10, 100_000)
            .description("How many of each destination's last delivery attempts each replica keeps in memory for the"
                    + " delivery log (id, type, time, answer, outcome, latency: no bodies).");

    public static final List<Setting<?>> ALL = List.of(HOST, PORT, TOKEN, DELIVERY_LOG_SIZE);

    public static ConsoleSettings read(Settings.Reader settings) {
        return new ConsoleSettings(settings.get(HOST), settings.get(PORT), settings.optional(TOKEN),
                settings.get(DELIVERY_LOG_SIZE));
    }
}
