package io.mphub.provider.qiyu;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;

/**
 * The Qiyu (NetEase customer service) app the hub updates user profiles in ({@code mphub.qiyu.*}): the app key and
 * app secret of 「设置」→「消息接口」 (Settings → Message API) in the Qiyu console.
 *
 * @param orderLink   optional link template for the agent's side panel, e.g.
 *                    {@code https://admin.example.com/orders/{orderId}}: the order id becomes a link to it
 * @param messageText whether Qiyu's pushes publish message texts and rating remarks
 */
public record QiyuSettings(String appKey, Secret appSecret, Optional<String> orderLink, boolean messageText) {

    static final String ORDER_ID = "{orderId}";

    public static final Setting<String> APP_KEY = Setting.text("mphub.qiyu.app-key")
            .fix("set MPHUB_QIYU_APP_KEY to the appKey shown in the Qiyu console, Settings > Message API")
            .description("The app key of the Qiyu console, Settings > Message API (设置 → 消息接口). Required by kind"
                    + " qiyu.");
    public static final Setting<Secret> APP_SECRET = Setting.secret("mphub.qiyu.app-secret")
            .fix("set MPHUB_QIYU_APP_SECRET to the AppSecret of the Qiyu console, Settings > Message API (environment"
                    + " or secrets file only)")
            .description("The app secret of the same page: it signs every call (checksum), and checks Qiyu's pushes to"
                    + " /callbacks/qiyu, served while it is set. Required by kind qiyu. When"
                    + " Qiyu refuses the key, the secret or the clock (14001, 14002, 14003, 14515) the destination pauses"
                    + " for 10 minutes and logs an ERROR naming what to fix; nothing is dead-lettered.");
    public static final Setting<String> ORDER_LINK = Setting.text("mphub.qiyu.order-link")
            .check(t -> t.contains(ORDER_ID), "has no " + ORDER_ID + " placeholder")
            .check(QiyuSettings::httpUrl, "is not an absolute http(s) URL")
            .fix("use an https URL containing " + ORDER_ID + ", e.g. https://admin.example.com/orders/" + ORDER_ID
                    + ", or leave it unset")
            .description("Optional: a link for the order id on the agent's panel, " + ORDER_ID + " replaced by the"
                    + " (URL-encoded) order id.");

    public static final Setting<Boolean> MESSAGE_TEXT = Setting.flag("mphub.qiyu.message-text").defaultValue(false)
            .description("Whether mp.cs.message carries the text of an agent's message, and mp.cs.rated the user's"
                    + " remark, from Qiyu's pushes. Off: ids, types and times only (the texts are personal data).");

    public static final List<Setting<?>> ALL = List.of(APP_KEY, APP_SECRET, ORDER_LINK, MESSAGE_TEXT);

    /**
     * The app, when a destination uses it or its pushes are taken (the app secret set): key and secret required.
     *
     * @param destination the destination of kind qiyu, if any
     */
    static Optional<QiyuSettings> read(Settings.Reader settings, Optional<String> destination) {
        if (destination.isEmpty() && !settings.isSet(APP_SECRET)) {
            return Optional.empty();
        }
        Settings.Reader mine = settings.section();
        String who = destination.map(d -> "destination '" + d + "' (kind qiyu)").orElse("/callbacks/qiyu");
        Optional<String> key = mine.require(APP_KEY, who + " needs the Qiyu app key");
        Optional<Secret> secret = mine.require(APP_SECRET, who + " needs the Qiyu app secret to sign its calls");
        Optional<String> link = mine.optional(ORDER_LINK);
        boolean messageText = mine.get(MESSAGE_TEXT);
        return mine.ok() ? Optional.of(new QiyuSettings(key.orElseThrow(), secret.orElseThrow(), link, messageText))
                : Optional.empty();
    }

    private static boolean httpUrl(String template) {
        try {
            URI uri = new URI(template.replace(ORDER_ID, "x"));
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
