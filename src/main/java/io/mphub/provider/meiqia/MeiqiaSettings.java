package io.mphub.provider.meiqia;

import java.util.List;

import io.mphub.config.Secret;
import io.mphub.config.Setting;

/** Meiqia's webhooks to the hub ({@code mphub.meiqia.*}). */
final class MeiqiaSettings {

    static final Setting<Secret> WEBHOOK_SECRET = Setting.secret("mphub.meiqia.webhook-secret")
            .fix("set MPHUB_MEIQIA_WEBHOOK_SECRET (environment or secrets file) to the secret of the Meiqia workbench's"
                    + " Webhooks settings (设置 → Webhooks), or unset it to refuse Meiqia's webhooks")
            .description("The secret of the Meiqia workbench's Webhooks (enterprise and flagship editions): it checks"
                    + " every webhook's Meiqia-Signature. While it is set, /callbacks/meiqia publishes Meiqia's"
                    + " conversation and customer events as mp.cs.* on mp.results.");

    static final List<Setting<?>> ALL = List.of(WEBHOOK_SECRET);

    private MeiqiaSettings() {
    }
}
