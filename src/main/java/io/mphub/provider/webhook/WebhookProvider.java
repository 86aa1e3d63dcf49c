package io.mphub.provider.webhook;

import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.deliver.BatchKind;
import io.mphub.deliver.Batching;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Kind;
import io.mphub.provider.Provider;
import io.mphub.provider.ProviderContext;
import io.mphub.sign.StandardWebhooksSigner;

/**
 * Standard Webhooks: kind {@code webhook}, the default of every destination. Its one setting is each destination's
 * signing secret: the hub never sends unsigned.
 */
public final class WebhookProvider implements Provider {

    public static final String KIND = "webhook";

    public static final Setting<Secret> SECRET = Setting.secret("mphub.destinations.<name>.secret")
            .check(s -> valid(s.value()), "is not a Standard Webhooks secret")
            .fix("use whsec_ followed by the Base64 of 24 to 64 random bytes, e.g. echo \"whsec_$(head -c 32"
                    + " /dev/urandom | base64)\" (from the environment or the secrets file, never in routes/)")
            .description("Kind webhook: the destination's whsec_ signing secret, the same its receiver verifies"
                    + " with. Required.");

    @Override
    public String title() {
        return "Webhooks (Standard Webhooks)";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(SECRET);
    }

    @Override
    public List<KindName> kinds() {
        return List.of(new KindName(KIND, Optional.empty(), Batching.EITHER, WebhookBatchKind.LIMITS));
    }

    @Override
    public Configured configure(Settings.Reader settings, List<Destination> destinations, Setup setup) {
        Map<String, Secret> secrets = new HashMap<>();
        for (Destination d : destinations) {
            settings.require(SECRET.forName(d.name()), "destination '" + d.name() + "' has no signing secret, and"
                    + " mphub never sends unsigned").ifPresent(secret -> secrets.put(d.name(), secret));
        }
        return new Configured() {
            @Override
            public Kind kind(Destination destination, ProviderContext context) {
                return new WebhookKind(destination, signer(destination, context), context.call());
            }

            @Override
            public BatchKind batchKind(Destination destination, ProviderContext context) {
                return new WebhookBatchKind(destination, signer(destination, context), context.call(),
                        context.mapper());
            }

            private StandardWebhooksSigner signer(Destination destination, ProviderContext context) {
                return new StandardWebhooksSigner(secrets.get(destination.name()).value(), context.clock());
            }
        };
    }

    /** {@code whsec_} and the Base64 of 24 to 64 bytes. */
    static boolean valid(String secret) {
        if (!secret.startsWith("whsec_")) {
            return false;
        }
        try {
            int length = Base64.getDecoder().decode(secret.substring("whsec_".length())).length;
            return length >= 24 && length <= 64;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
