package io.mphub.provider.sensorsdata;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;
import io.mphub.deliver.BatchKind;
import io.mphub.deliver.Batching;
import io.mphub.deliver.DeliverySettings;
import io.mphub.deliver.Destination;
import io.mphub.provider.EventNames;
import io.mphub.provider.EventNamesFile;
import io.mphub.provider.Provider;
import io.mphub.provider.ProviderCall;
import io.mphub.provider.ProviderContext;

/**
 * Sensors Data (神策分析): kind {@code sensorsdata} sends events in batches to a project's data-receiving URL, each
 * a {@code track} record. The destination's {@code url} is that URL as the project's 数据接入 page gives it
 * ({@code https://<host>:8106/sa?project=<project>}); {@code project} and {@code token} settings add to its query.
 */
public final class SensorsDataProvider implements Provider {

    public static final String KIND = "sensorsdata";
    static final String VERSION = Optional.ofNullable(SensorsDataProvider.class.getPackage().getImplementationVersion())
            .orElse("dev");
    /** The names of Sensors Data's mini-program preset events, which an event-names file may map to. */
    static final List<String> PRESETS = List.of("$MPLaunch", "$MPShow", "$MPHide", "$MPViewScreen", "$MPClick",
            "$MPShare", "$MPPageLeave", "$MPAddFavorites");

    public static final Setting<String> PROJECT = Setting.text("mphub.destinations.<name>.project")
            .check(p -> p.matches("[A-Za-z0-9_]{1,100}"), "is not a Sensors Data project name")
            .fix("use the project's English name (letters, digits, '_') as its data-receiving URL shows it, or leave it"
                    + " unset to keep the url's own ?project=")
            .description("Kind sensorsdata: the project the events go to, as ?project= of the url (replacing one the"
                    + " url has). Not set: the url's own ?project=, or Sensors Data's default project.");
    public static final Setting<Secret> TOKEN = Setting.secret("mphub.destinations.<name>.token")
            .description("Kind sensorsdata: the data-receiving token, for a collector that requires one (?token= of"
                    + " the data-receiving URL); environment or secrets file only, never in the url. Optional.");
    public static final Setting<String> EVENT_NAMES = Setting.text("mphub.sensorsdata.event-names")
            .description("Kind sensorsdata: the file mapping event types to Sensors Data event names. Not set:"
                    + " sensorsdata-events.yaml in mphub.routes.dir if it exists; a type it does not map is sent by its"
                    + " short name (mp.order.paid as order_paid).");

    public static final EventNamesFile.NameRule NAME_RULE = new EventNamesFile.NameRule("Sensors Data",
            name -> name.startsWith("$") ? (PRESETS.contains(name) ? null : "is not one of Sensors Data's preset events "
                    + PRESETS) : SensorsDataRecords.nameProblem(name),
            "use letters, digits and '_', not starting with a digit, at most 100 characters (e.g. order_paid), or one of"
                    + " the preset events " + PRESETS);

    @Override
    public String title() {
        return "Sensors Data";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(PROJECT, TOKEN, EVENT_NAMES);
    }

    @Override
    public List<KindName> kinds() {
        return List.of(new KindName(KIND, Optional.empty(), Batching.ALWAYS, SensorsDataKind.LIMITS));
    }

    @Override
    public Configured configure(Settings.Reader settings, List<Destination> destinations, Setup setup) {
        Map<String, URI> endpoints = new HashMap<>();
        for (Destination d : destinations) {
            Optional<String> project = settings.optional(PROJECT.forName(d.name()));
            Optional<Secret> token = settings.optional(TOKEN.forName(d.name()));
            if (d.url() == null) {
                continue; // its URL is the problem, already said
            }
            if (query(d.url()).stream().anyMatch(p -> p.startsWith("token="))) {
                Setting<URI> url = DeliverySettings.URL.forName(d.name());
                settings.problem(url, "destination '" + d.name() + "' has its Sensors Data token in its url, which is"
                        + " not a secret and shows in logs", "remove &token=… from " + url.envName() + " and set "
                        + TOKEN.forName(d.name()).envName() + " to it (environment or secrets file)");
                continue;
            }
            endpoints.put(d.name(), endpoint(d.url(), project, token));
        }
        Optional<EventNames> names = destinations.isEmpty() ? Optional.empty()
                : EventNamesFile.read(settings, EVENT_NAMES, setup.routesDir().resolve("sensorsdata-events.yaml"),
                        NAME_RULE);
        return new Configured() {
            @Override
            public BatchKind batchKind(Destination destination, ProviderContext context) {
                ProviderCall call = context.call();
                return new SensorsDataKind(destination, endpoints.get(destination.name()),
                        new SensorsDataRecords(context.mapper(), names.orElseThrow(), VERSION),
                        new SensorsDataAnswers(call.http(), destination.name()), call, VERSION);
            }
        };
    }

    /** The data-receiving URL with {@code project} (replacing the url's own) and {@code token} in its query. */
    static URI endpoint(URI url, Optional<String> project, Optional<Secret> token) {
        List<String> query = new ArrayList<>(query(url));
        project.ifPresent(p -> {
            query.removeIf(q -> q.startsWith("project="));
            query.add("project=" + URLEncoder.encode(p, UTF_8));
        });
        token.ifPresent(t -> query.add("token=" + URLEncoder.encode(t.value(), UTF_8)));
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        return URI.create(url.getScheme() + "://" + url.getRawAuthority() + path
                + (query.isEmpty() ? "" : "?" + String.join("&", query)));
    }

    private static List<String> query(URI url) {
        String raw = url.getRawQuery();
        return raw == null || raw.isEmpty() ? List.of() : List.of(raw.split("&"));
    }
}
