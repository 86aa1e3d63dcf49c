package io.mphub.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.RouteFiles;
import io.mphub.deliver.Destination;
import io.mphub.sign.Digests;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.apache.camel.util.concurrent.CamelThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload of the route files, each checked the way start-up checks it before Camel sees it: YAML that parses, a
 * fan-out table that names only running destinations, throttle modes Camel knows, what the hub relies on. An edit that
 * fails is logged once, as {@code file:line: what} and {@code fix:} like the start-up check (an editor's save is one
 * edit however many writes it takes), and the running routes keep serving; a good edit applies at once. Routes keep
 * running while others reload (Camel's remove-all-routes is off).
 * <ul>
 * <li>A top-level file ({@code routes/*.camel.yaml}) edited: its routes are replaced.</li>
 * <li>A file dropped into {@code routes/destinations/}: that destination starts, once it and its settings pass the
 * start-up checks ({@link LiveDestinations#start}); one edited: its route is replaced; one removed: the destination
 * stops, unless the fan-out table still sends to it.</li>
 * <li>A template edited: it applies at the next start (the routes made from it keep running as they are).</li>
 * </ul>
 */
final class RouteReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(RouteReload.class);
    /**
     * An edit is checked once the file has been quiet this long: an editor's save can be several writes (truncate,
     * write, rename), and a half-written file must be neither applied nor reported.
     */
    static final Duration SETTLE = Duration.ofMillis(300);

    private final Path routesDir;
    private final LiveDestinations live;
    /** The content (its digest) of the last edit refused, per file: the same edit is not reported twice. */
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> settling = new ConcurrentHashMap<>();
    /** What each destination file held when its route was last made: made again if Camel refuses an edit. */
    private final Map<String, String> made = new ConcurrentHashMap<>();
    private ScheduledExecutorService checks;

    RouteReload(Path routesDir, LiveDestinations live) throws IOException {
        super(routesDir.toString(), true);
        this.routesDir = routesDir;
        this.live = live;
        try (var files = Files.list(routesDir.resolve(RouteFiles.DESTINATIONS_DIR))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                made.put(LiveDestinations.normal(f.toString()), Files.readString(f));
            }
        }
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
        Path file = Path.of(name);
        Path folder = routesDir.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize().getParent());
        boolean destination = folder.toString().equals(RouteFiles.DESTINATIONS_DIR);
        if (!Files.exists(file)) {
            if (destination) {
                List<Problem> problems = attempt(name, () -> live.stop(name));
                if (problems.isEmpty()) {
                    made.remove(LiveDestinations.normal(name));
                }
                report(name, "removed", problems);
            }
            return; // a top-level file removed, or one being replaced: its routes keep running
        }
        String content;
        try {
            content = Files.readString(file);
        } catch (IOException e) {
            return; // being replaced: the next event has it
        }
        if (folder.toString().equals("templates")) {
            report(name, content, List.of(new Problem(name, "a template applies at the next start; the routes made"
                    + " from it keep running as they are", "restart the hub to apply it")));
            return;
        }
        if (destination && live.definedBy(name).isEmpty()) {
            List<Problem> problems = attempt(name, () -> live.start(name));
            if (problems.isEmpty()) {
                problems = apply(name, resource, true, content);
                if (!problems.isEmpty()) {
                    attempt(name, () -> live.stop(name)); // Camel refused its route: nothing of it stays
                }
            }
            report(name, content, problems);
            return;
        }
        List<Problem> problems = check(name);
        report(name, content, problems.isEmpty() ? apply(name, resource, destination, content) : problems);
    }

    /**
     * Hands the file to Camel: its routes are replaced (or, for a new destination, started). Camel's reload does not
     * make routes from a templatedRoute, so a destination's file is parsed on its own first (nothing stops for a file
     * Camel refuses), then its route is removed, if it runs, and made anew.
     */
    private List<Problem> apply(String name, Resource resource, boolean destination, String content) {
        try {
            if (destination) {
                List<Problem> refused = parsed(name);
                if (!refused.isEmpty()) {
                    return refused;
                }
                String route = Destination.routeId(live.definedBy(name).orElseThrow());
                boolean ran = getCamelContext().getRoute(route) != null;
                if (ran) {
                    getCamelContext().getRouteController().stopRoute(route);
                    getCamelContext().removeRoute(route);
                }
                String was = made.get(LiveDestinations.normal(name));
                try {
                    PluginHelper.getRoutesLoader(getCamelContext()).loadRoutes(resource);
                } catch (Exception e) {
                    if (ran && was != null) {
                        remake(name, was, e);
                    }
                    throw e;
                }
                made.put(LiveDestinations.normal(name), content);
            } else {
                onRouteReload(List.of(resource), false);
                live.stopRemoved();
            }
            live.loaded();
            return List.of();
        } catch (Exception e) {
            return List.of(CamelRoutes.refusal(name, e));
        }
    }

    /** What Camel's own parse of the route files, in a context never started, refuses in this one. */
    private List<Problem> parsed(String name) throws Exception {
        String file = LiveDestinations.normal(name);
        try (CamelContext scratch = new DefaultCamelContext()) {
            return CamelRoutes.parse(scratch, routesDir.toAbsolutePath().normalize(), f -> false).problems().stream()
                    .filter(p -> p.where().startsWith(file)).toList();
        }
    }

    /**
     * Camel refused what its parse let through (a value only the making of a route checks): the route as it was is
     * made again and keeps delivering. Should even that fail, it is said as an error: the destination has no route
     * then, which readiness shows too.
     */
    private void remake(String name, String was, Exception refused) {
        try {
            PluginHelper.getRoutesLoader(getCamelContext()).loadRoutes(ResourceHelper.fromString("file:" + name, was));
            live.loaded();
        } catch (Exception e) {
            refused.addSuppressed(e);
            LOG.error("the route of {} as it was could not be made again ({}): its destination delivers nothing until"
                    + " the file is fixed", name, e.toString());
        }
    }

    /** A step that may fail on Kafka or the file system, its failure said as the file's problem. */
    private static List<Problem> attempt(String name, Step step) {
        try {
            return step.run();
        } catch (Exception e) {
            return List.of(new Problem(name, "not applied: " + e, "fix what it names, then save the file again"));
        }
    }

    private interface Step {
        List<Problem> run() throws Exception;
    }

    /** Says an edit's problems once per content of the file; a good edit clears what was said. */
    private void report(String name, String content, List<Problem> problems) {
        if (problems.isEmpty()) {
            refused.remove(name);
            return;
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
        problems.addAll(routes.problems(live.running()));
        String file = Path.of(name).normalize().toString();
        // A destination file edited may not rename its destination: that is another destination.
        live.definedBy(name).ifPresent(running -> routes.destinations().stream()
                .filter(f -> Path.of(f.file()).normalize().toString().equals(file) && !f.value().equals(running))
                .forEach(f -> problems.add(new Problem(f.where(), "this file runs destination '" + running
                        + "'; it cannot become '" + f.value() + "' while the hub runs", "put back '" + running
                        + "', then add a file for '" + f.value() + "' (and remove this one once the fan-out table no"
                        + " longer sends to '" + running + "')"))));
        return problems.stream().filter(p -> p.where().startsWith(file)).toList();
    }
}
