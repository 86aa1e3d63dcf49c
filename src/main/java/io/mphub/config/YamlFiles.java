package io.mphub.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.mphub.config.ConfigurationException.Problem;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * An operator's YAML file as snakeyaml-engine's node tree, each node knowing its line, so that every check of it can
 * name file:line; or, when it does not parse, that problem, at the line to correct.
 */
public final class YamlFiles {

    /**
     * The file's root node, or none for a file of comments only.
     *
     * @return empty when the file does not parse: the problem is added to {@code problems}
     */
    public static Optional<Optional<Node>> read(Path path, List<Problem> problems) {
        String file = path.toString();
        try (Reader reader = Files.newBufferedReader(path)) {
            return Optional.of(new Compose(LoadSettings.builder().setLabel(file).build()).composeReader(reader));
        } catch (MarkedYamlEngineException e) {
            // An unclosed quote is only noticed at the end of the file: point at where it was opened instead.
            var mark = e.getProblem().contains("end of stream") ? e.getContextMark().or(e::getProblemMark)
                    : e.getProblemMark();
            int line = mark.map(m -> m.getLine() + 1).orElse(0);
            problems.add(new Problem(file + ":" + line, "malformed YAML: " + e.getProblem()
                    + (e.getContext() == null ? "" : " " + e.getContext()),
                    "correct the YAML at that line (indentation and ':' are the usual suspects)"));
        } catch (YamlEngineException e) {
            problems.add(new Problem(file, "malformed YAML: " + e.getMessage(), "correct the YAML"));
        } catch (IOException e) {
            problems.add(new Problem(file, "unreadable: " + e.getMessage(), "check that the file can be read"));
        }
        return Optional.empty();
    }

    /** A problem at {@code node}'s line of {@code file}: {@code file:line}, what is wrong, and the fix. */
    public static Problem problem(String file, Node node, String what, String fix) {
        return new Problem(file + ":" + line(node), what, fix);
    }

    /** The line a node starts on, counted from 1 (0 when snakeyaml-engine gave it no mark). */
    public static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private YamlFiles() {
    }
}
