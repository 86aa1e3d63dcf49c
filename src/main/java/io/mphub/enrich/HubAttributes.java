package io.mphub.enrich;

import java.time.Clock;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Adds the hub's CloudEvents extension attributes to an accepted event, never touching what the producer set:
 * <ul>
 * <li>{@code mphubreceived}: when the hub accepted it (RFC 3339);</li>
 * <li>{@code mphubinstance}: which hub instance accepted it;</li>
 * <li>{@code traceparent} (CloudEvents distributed-tracing extension, W3C Trace Context): the producer's own if
 * it set one, else the record's {@code traceparent} header, else a new one;</li>
 * <li>{@code mphubtraceid}: the trace id of that traceparent, for searching logs.</li>
 * </ul>
 */
public final class HubAttributes {

    // W3C Trace Context: version-traceid-parentid-flags
    private static final Pattern TRACEPARENT = Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$");

    private final String instanceId;
    private final Clock clock;
    private final RandomGenerator random;

    public HubAttributes(String instanceId, Clock clock, RandomGenerator random) {
        this.instanceId = instanceId;
        this.clock = clock;
        this.random = random;
    }

    /** @return the traceparent the event now carries */
    public String apply(ObjectNode event, String traceparentHeader) {
        event.put("mphubreceived", clock.instant().toString());
        event.put("mphubinstance", instanceId);
        String traceparent = event.path("traceparent").asText(null);
        if (traceparent == null || !TRACEPARENT.matcher(traceparent).matches()) {
            traceparent = traceparentHeader != null && TRACEPARENT.matcher(traceparentHeader).matches()
                    ? traceparentHeader : newTraceparent();
            if (!event.has("traceparent")) {
                event.put("traceparent", traceparent);
            }
        }
        var m = TRACEPARENT.matcher(traceparent);
        event.put("mphubtraceid", m.matches() ? m.group(1) : "");
        return traceparent;
    }

    private String newTraceparent() {
        byte[] trace = new byte[16];
        byte[] span = new byte[8];
        random.nextBytes(trace);
        random.nextBytes(span);
        return "00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(span) + "-01";
    }
}
