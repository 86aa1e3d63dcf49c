package io.mphub.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
