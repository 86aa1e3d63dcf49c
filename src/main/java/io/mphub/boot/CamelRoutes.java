package io.mphub.boot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.RouteFiles;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * The route files as Camel sees them: which files it loads (the same at start-up and in {@code check}), its own YAML
 * DSL parse of them without starting anything, and its refusal of a file said as file:line (in {@code check} and
 * live reload alike).
 */
final class CamelRoutes {

    /** Where Camel's YAML parser says a problem is: {@code in file:routes/x.camel.yaml, line 55, column 11}. */
    private static final Pattern LINE = Pattern.compile("line (\\d+)");
    private static final Pattern IN_FILE = Pattern.compile("in file:(\\S+?), line \\d+");
    private static final String TEMPLATES = "templates/";
    /** Where Camel loads route files from, in this order: a destination's templated route needs its template. */
    private static final List<String> FOLDERS = List.of("", TEMPLATES, RouteFiles.DESTINATIONS_DIR + "/");

    /** What Camel parsed: the files, and each one it refused. */
    record Parsed(List<String> files, List<Problem> problems) {
    }

    private CamelRoutes() {
    }

    /** The files Camel loads, as camel-main's include patterns: the top-level ones, the templates, the destinations. */
    static List<String> patterns(Path dir) {
        return FOLDERS.stream().map(folder -> pattern(dir, folder)).toList();
    }

    /**
     * Camel's YAML DSL parses every route file into route definitions of {@code camel}, which is never started: no
     * route is created, no endpoint, no bean looked up. Each file goes on its own, so that every file refused is named;
     * the templates go before the destinations, whose templated routes need them. Left out: the files {@code reported}
     * (their YAML does not parse, which is said already), and the destinations once a template is not loaded (each
     * would only say that its template is missing).
     */
    static Parsed parse(CamelContext camel, Path dir, Predicate<String> reported) throws Exception {
        camel.build();
        List<String> files = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (String folder : FOLDERS) {
            if (!Files.isDirectory(dir.resolve(folder))) {
                continue; // a folder that is not there holds no route (a missing template is said by its destinations)
            }
            boolean loadedAll = true;
            List<Resource> found = PluginHelper.getPackageScanResourceResolver(camel)
                    .findResources(pattern(dir, folder)).stream()
                    .sorted(Comparator.comparing(Resource::getLocation)).toList();
            for (Resource resource : found) {
                String name = resource.getLocation().substring("file:".length());
                files.add(name);
                if (reported.test(name)) {
                    loadedAll = false;
                    continue;
                }
                try {
                    PluginHelper.getRoutesLoader(camel).loadRoutes(resource);
                } catch (Exception e) {
                    problems.add(refusal(name, e));
                    loadedAll = false;
                }
            }
            if (folder.equals(TEMPLATES) && !loadedAll) {
                break;
            }
        }
        return new Parsed(files, problems);
    }

    private static String pattern(Path dir, String folder) {
        return "file:" + dir + "/" + folder + "*.camel.yaml";
    }

    /**
     * Camel's refusal of a route file while it loads them at start-up, when its message names the file (in
     * file:routes/x.camel.yaml, line 62): said as file:line like every other start-up problem.
     */
    static Optional<Problem> refusalAtStart(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Matcher in = IN_FILE.matcher(String.valueOf(t.getMessage()));
            if (in.find()) {
                return Optional.of(refusal(in.group(1), e));
            }
        }
        return Optional.empty();
    }

    /** Camel's own refusal (an unknown step, a bad option), said as file:line with its first line. */
    static Problem refusal(String name, Exception e) {
        // The deepest cause that says something (some causes carry no message at all).
        String message = e.getClass().getSimpleName();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        Matcher line = LINE.matcher(message);
        boolean placed = line.find();
        return new Problem(placed ? name + ":" + line.group(1) : name,
                "Camel refuses it: " + message.lines().findFirst().orElse(message).trim(),
                (placed ? "correct the step or option at that line" : "correct what Camel names in this file")
                        + " (the Camel YAML DSL reference lists the steps and their options)");
    }
}
