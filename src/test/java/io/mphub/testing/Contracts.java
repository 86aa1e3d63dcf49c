package io.mphub.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.event.EventContract;

/** The event contract of {@code schemas/}, loaded as the hub loads it, for tests that check what the hub publishes. */
public final class Contracts {

    private Contracts() {
    }

    public static EventContract load(ObjectMapper mapper) throws IOException {
        Path dir = Path.of("schemas");
        Set<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .filter(n -> !n.equals("cloudevent")).collect(Collectors.toSet());
        }
        return EventContract.load(mapper, names, name -> {
            try {
                return Files.newInputStream(dir.resolve(name + ".json"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
