package io.mphub.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A copy of the project's routes/ tree, for tests that edit route files. */
public final class TestRoutes {

    private TestRoutes() {
    }

    /** Copies routes/ into {@code dir}/routes and returns that directory. */
    public static Path copyInto(Path dir) throws IOException {
        Path source = Path.of("routes").toAbsolutePath();
        Path target = dir.resolve("routes");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return target;
    }

    /** Replaces {@code from} with {@code to} in the first line of {@code file} that contains it; returns its number. */
    public static int edit(Path file, String from, String to) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int line = lineOf(file, lines, from);
        lines.set(line - 1, lines.get(line - 1).replace(from, to));
        Files.write(file, lines);
        return line;
    }

    /** The number of the first line of {@code file} that contains {@code text}. */
    public static int lineOf(Path file, String text) throws IOException {
        return lineOf(file, Files.readAllLines(file), text);
    }

    private static int lineOf(Path file, List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(file + " has no line containing " + text);
    }
}
