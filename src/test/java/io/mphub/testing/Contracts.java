package io.mphub.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.event.EventContract;

/** The event contract as the hub loads it from schemas/, for tests that check what the hub publishes. */
public final class Contracts {

    private Contracts() {
    }

    public static EventContract fromSchemasDir() throws IOException {
        Path schemas = Path.of("schemas");
        Set<String> names = new LinkedHashSet<>();
        try (Stream<Path> files = Files.list(schemas)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json") && !n.equals("cloudevent.json"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).forEach(names::add);
        }
        return EventContract.load(new ObjectMapper(), names, name -> {
            try {
                return Files.newInputStream(schemas.resolve(name + ".json"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
