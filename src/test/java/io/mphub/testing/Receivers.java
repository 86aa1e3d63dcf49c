package io.mphub.testing;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One real receiver for each of the hub's default destinations. */
public final class Receivers implements AutoCloseable {

    public static final List<String> DESTINATIONS = List.of("analytics", "customer-service", "logistics",
            "notifications", "payment");

    private final Map<String, Receiver> byName;

    private Receivers(Map<String, Receiver> byName) {
        this.byName = byName;
    }

    public static Receivers start() throws IOException {
        Map<String, Receiver> byName = new LinkedHashMap<>();
        for (String d : DESTINATIONS) {
            byName.put(d, Receiver.start());
        }
        return new Receivers(byName);
    }

    public Receiver get(String destination) {
        return byName.get(destination);
    }

    /** By destination name. */
    public Map<String, Receiver> all() {
        return byName;
    }

    @Override
    public void close() {
        byName.values().forEach(Receiver::close);
    }
}
