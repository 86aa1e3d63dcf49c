package io.mphub.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.RouteFiles;
import io.mphub.sign.Digests;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.apache.camel.util.concurrent.CamelThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload of the top-level route files ({@code routes/*.camel.yaml}), checked the way start-up checks them before
 * Camel sees the edit: YAML that parses, a fan-out table that names only running destinations, throttle modes Camel
 * knows. An edit that fails is logged once, as {@code file:line: what} and {@code fix:} like the start-up check (an
 * editor's save is one edit however many writes it takes), and the running routes keep serving; a good edit applies
 * at once. Routes keep running while others reload (Camel's remove-all-routes is off).
 */
final class RouteReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(RouteReload.class);
    /**
     * An edit is checked once the file has been quiet this long: an editor's save can be several writes (truncate,
     * write, rename), and a half-written file must be neither applied nor reported.
     */
    static final Duration SETTLE = Duration.ofMillis(300);

    private final Path routesDir;
    private final Set<String> destinations;
    /** The content (its digest) of the last edit refused, per file: the same edit is not reported twice. */
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> settling = new ConcurrentHashMap<>();
    private ScheduledExecutorService checks;

    RouteReload(Path routesDir, Set<String> destinations) {
        super(routesDir.toString(), false);
        this.routesDir = routesDir;
        this.destinations = Set.copyOf(destinations);
        setPattern("*.camel.yaml");
        setRemoveAllRoutes(false);
        setResourceReload((name, resource) -> settling.compute(name, (n, pending) -> {
            if (pending != null) {
                pending.cancel(false);
            }
            return checks.schedule(() -> reload(name, resource), SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        }));
    }

    @Override
    protected void doStart() throws Exception {
        checks = Executors.newSingleThreadScheduledExecutor(
                new CamelThreadFactory("#name#", "mphub-route-reload", true));
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        checks.shutdownNow();
    }

    private void reload(String name, Resource resource) {
        String content;
        try {
            content = Files.readString(Path.of(name));
        } catch (IOException e) {
            return; // removed or being replaced: the next event has it
        }
        List<Problem> problems = check(name);
        if (problems.isEmpty()) {
            try {
                onRouteReload(List.of(resource), false);
                refused.remove(name);
                return;
            } catch (RuntimeException e) {
                problems = List.of(CamelRoutes.refusal(name, e));
            }
        }
        String digest = Digests.sha256Hex(content);
        if (!digest.equals(refused.put(name, digest))) {
            LOG.warn("the edit of {} is not applied; the running routes keep serving:\n{}", name,
                    problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n")));
        }
    }

    /** The start-up checks of the route files, as far as they concern the file edited. */
    private List<Problem> check(String name) {
        RouteFiles routes;
        try {
            routes = RouteFiles.scan(routesDir);
        } catch (IOException e) {
            return List.of(new Problem(name, "the routes cannot be read: " + e.getMessage(), "check the file's permissions"));
        }
        List<Problem> problems = new ArrayList<>(routes.problems());
        problems.addAll(routes.problems(destinations));
        String file = Path.of(name).normalize().toString();
        return problems.stream().filter(p -> p.where().startsWith(file)).toList();
    }
}
