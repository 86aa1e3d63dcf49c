package io.mphub.provider.qiyu;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Secret;
import io.mphub.config.Settings;

/**
 * The Qiyu (NetEase customer service) app the hub updates user profiles in, read from {@code mphub.qiyu.*}: the
 * app key and app secret of 「设置」→「消息接口」 (Settings → Message API) in the Qiyu console.
 *
 * @param orderLink optional link template for the agent's side panel, e.g.
 *                  {@code https://admin.example.com/orders/{orderId}}: the order id becomes a link to it
 */
public record QiyuSettings(String appKey, Secret appSecret, Optional<String> orderLink) {

    public static final String APP_KEY = "mphub.qiyu.app-key";
    public static final String APP_SECRET = "mphub.qiyu.app-secret";
    public static final String ORDER_LINK = "mphub.qiyu.order-link";
    static final String ORDER_ID = "{orderId}";

    /** Checks the settings a {@code qiyu} destination needs, adding one problem per missing or bad one. */
    public static void check(String destination, Settings settings, List<Problem> problems) {
        String who = "destination '" + destination + "' (kind qiyu)";
        if (settings.get(APP_KEY).isEmpty()) {
            problems.add(Problem.setting(APP_KEY, who + " needs the Qiyu app key",
                    "set " + Settings.envName(APP_KEY) + " to the appKey shown in the Qiyu console, Settings > Message API"));
        }
        if (settings.get(APP_SECRET).isEmpty()) {
            problems.add(Problem.setting(APP_SECRET, who + " needs the Qiyu app secret to sign its calls",
                    "set " + Settings.envName(APP_SECRET) + " to the AppSecret of the Qiyu console, Settings > Message API"
                            + " (environment or secrets file only)"));
        }
        settings.get(ORDER_LINK).flatMap(QiyuSettings::linkProblem).ifPresent(what -> problems.add(Problem.setting(
                ORDER_LINK, what, "use an https URL containing " + ORDER_ID + ", e.g. https://admin.example.com/orders/"
                        + ORDER_ID + ", or leave it unset")));
    }

    /** Reads settings that {@link #check} accepted. */
    public static QiyuSettings read(Settings settings) {
        return new QiyuSettings(settings.get(APP_KEY).orElseThrow(), new Secret(settings.get(APP_SECRET).orElseThrow()),
                settings.get(ORDER_LINK));
    }

    private static Optional<String> linkProblem(String template) {
        if (!template.contains(ORDER_ID)) {
            return Optional.of("the order link has no " + ORDER_ID + " placeholder");
        }
        try {
            URI uri = new URI(template.replace(ORDER_ID, "x"));
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                return Optional.of("the order link is not an absolute http(s) URL");
            }
        } catch (URISyntaxException e) {
            return Optional.of("the order link is not a URL: " + e.getReason());
        }
        return Optional.empty();
    }
}
