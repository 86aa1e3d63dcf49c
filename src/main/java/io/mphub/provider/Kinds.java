package io.mphub.provider;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.mphub.deliver.WebhookOutcomes;
import io.mphub.provider.kuaidi100.Kuaidi100Kind;
import io.mphub.provider.qiyu.QiyuKind;
import io.mphub.provider.wechatpay.WeChatPayV2Kind;
import io.mphub.provider.wechatpay.WeChatPayV3Kind;
import io.mphub.provider.wechat.SubscribeMessageKind;
import io.mphub.sign.StandardWebhooksSigner;

/** Every destination kind the hub speaks. A new provider is one {@link DestinationKind} and one line here. */
public final class Kinds {

    private static final Map<String, Kind> ALL = new TreeMap<>();

    static {
        add(new Kind("webhook", null, (name, settings, problems) -> {
            // The whsec_ secret is checked with the destination itself (HubConfig): it is the one kind whose
            // credential is per destination.
        }, (d, context) -> new WebhookKind(d, new StandardWebhooksSigner(d.secret().value(), context.clock()),
                new WebhookOutcomes(context.clock()))));
        add(Kuaidi100Kind.kind());
        add(QiyuKind.kind());
        add(WeChatPayV3Kind.KIND);
        add(WeChatPayV2Kind.KIND);
        add(SubscribeMessageKind.kind());
    }

    private Kinds() {
    }

    private static void add(Kind kind) {
        ALL.put(kind.name(), kind);
    }

    public static Optional<Kind> named(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    public static java.util.Set<String> names() {
        return ALL.keySet();
    }
}
