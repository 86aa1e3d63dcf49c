package io.mphub.callback;

import java.util.LinkedHashMap;
import java.util.Map;

import io.mphub.provider.ProviderContext;
import io.mphub.provider.kuaidi100.Kuaidi100Callback;
import io.mphub.provider.wechatpay.WeChatPayCallback;

/** The providers' callbacks the settings configure, each served under {@code /callbacks/<name>}. */
public final class Callbacks {

    private Callbacks() {
    }

    public static Map<String, Callback> configured(ProviderContext providers) {
        Map<String, Callback> callbacks = new LinkedHashMap<>();
        // Served whenever the master salt is set: subscriptions made earlier keep pushing after a kind change.
        Kuaidi100Callback.fromSettings(providers).ifPresent(c -> callbacks.put(Kuaidi100Callback.NAME, c));
        WeChatPayCallback.fromSettings(providers).ifPresent(c -> callbacks.put(WeChatPayCallback.NAME, c));
        return callbacks;
    }
}
