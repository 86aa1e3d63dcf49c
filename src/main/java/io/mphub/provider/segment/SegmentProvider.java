package io.mphub.provider.segment;

import java.net.URI;
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
import io.mphub.provider.EventNames;
import io.mphub.provider.EventNamesFile;
import io.mphub.provider.Provider;
import io.mphub.provider.ProviderCall;
import io.mphub.provider.ProviderContext;

/**
 * Segment's HTTP Tracking API, and any collector that takes the same {@code /v1/batch} (RudderStack's data plane):
 * kind {@code segment} sends events in batches as {@code track} messages, authenticated by the source's write key.
 */
public final class SegmentProvider implements Provider {

    public static final String KIND = "segment";
    static final String DEFAULT_URL = "https://api.segment.io";
    static final String VERSION = Optional.ofNullable(SegmentProvider.class.getPackage().getImplementationVersion())
            .orElse("dev");

    public static final Setting<Secret> WRITE_KEY = Setting.secret("mphub.destinations.<name>.write-key")
            .fix("set it to the write key of the source (Segment: the HTTP API source's Settings > API Keys;"
                    + " RudderStack: the source's write key), from the environment or the secrets file, never routes/")
            .description("Kind segment: the source's write key, sent as the user name of HTTP Basic auth. Required."
                    + " When Segment refuses it (401, 403) the destination pauses for 10 minutes and logs an ERROR"
                    + " naming this setting; nothing is dead-lettered.");
    public static final Setting<String> EVENT_NAMES = Setting.text("mphub.segment.event-names")
            .description("Kind segment: the file mapping event types to Segment event names. Not set:"
                    + " segment-events.yaml in mphub.routes.dir if it exists; a type it does not map is sent by its"
                    + " short name (mp.order.paid as order_paid).");

    /** Segment takes any event name; one that is blank or has control characters is a slip. */
    public static final EventNamesFile.NameRule NAME_RULE = new EventNamesFile.NameRule("Segment",
            name -> name.length() > 200 || name.chars().anyMatch(Character::isISOControl)
                    ? "is not a usable event name (at most 200 characters, no control characters)" : null,
            "use Segment's Object Action form, e.g. Order Completed (Segment Spec, E-commerce events)");

    @Override
    public String title() {
        return "Segment (HTTP Tracking API; RudderStack)";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(WRITE_KEY, EVENT_NAMES);
    }

    @Override
    public List<KindName> kinds() {
        return List.of(new KindName(KIND, Optional.of(URI.create(DEFAULT_URL)), Batching.ALWAYS, SegmentKind.LIMITS));
    }

    @Override
    public Configured configure(Settings.Reader settings, List<Destination> destinations, Setup setup) {
        Map<String, Secret> keys = new HashMap<>();
        for (Destination d : destinations) {
            settings.require(WRITE_KEY.forName(d.name()), "destination '" + d.name() + "' (kind segment) has no write"
                    + " key").ifPresent(key -> keys.put(d.name(), key));
        }
        Optional<EventNames> names = destinations.isEmpty() ? Optional.empty()
                : EventNamesFile.read(settings, EVENT_NAMES, setup.routesDir().resolve("segment-events.yaml"), NAME_RULE);
        return new Configured() {
            @Override
            public BatchKind batchKind(Destination destination, ProviderContext context) {
                ProviderCall call = context.call();
                return new SegmentKind(destination, keys.get(destination.name()),
                        new SegmentMessages(context.mapper(), names.orElseThrow(), VERSION),
                        new SegmentAnswers(call.http(), destination.name()), call, context.clock(), VERSION);
            }
        };
    }
}
