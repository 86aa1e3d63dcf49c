package io.mphub.provider;

import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
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

    /** By name, sorted so that messages list them in order; fixed once the class is loaded. */
    private static final SortedMap<String, Kind> ALL = index(
            new Kind("webhook", null, (name, settings, problems) -> {
                // The whsec_ secret is checked with the destination itself (HubConfig): it is the one kind whose
                // credential is per destination.
            }, (d, context) -> new WebhookKind(d, new StandardWebhooksSigner(d.secret().value(), context.clock()),
                    new WebhookOutcomes(context.clock()))),
            WeChatPayV3Kind.KIND,
            WeChatPayV2Kind.KIND,
            Kuaidi100Kind.kind(),
            SubscribeMessageKind.kind(),
            QiyuKind.kind());

    private Kinds() {
    }

    private static SortedMap<String, Kind> index(Kind... kinds) {
        SortedMap<String, Kind> byName = new TreeMap<>();
        for (Kind kind : kinds) {
            byName.put(kind.name(), kind);
        }
        return Collections.unmodifiableSortedMap(byName);
    }

    public static Optional<Kind> named(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    public static Set<String> names() {
        return ALL.keySet();
    }
}
