package io.mphub.callback;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mphub.provider.ProviderContext;
import io.mphub.provider.kuaidi100.Kuaidi100Callback;
import io.mphub.provider.wechatpay.WeChatPayCallback;

/** The providers' callbacks the settings configure, each served under {@code /callbacks/<name>}. */
public final class Callbacks {

    private Callbacks() {
    }

    /** @param resources where a callback that holds threads is added, to be closed with the hub */
    public static Map<String, Callback> configured(ProviderContext providers, List<AutoCloseable> resources) {
        Map<String, Callback> callbacks = new LinkedHashMap<>();
        // Served whenever the master salt is set: subscriptions made earlier keep pushing after a kind change.
        Kuaidi100Callback.fromSettings(providers).ifPresent(kuaidi100 -> {
            resources.add(kuaidi100);
            callbacks.put(Kuaidi100Callback.NAME, kuaidi100);
        });
        WeChatPayCallback.fromSettings(providers).ifPresent(c -> callbacks.put(WeChatPayCallback.NAME, c));
        return callbacks;
    }
}
