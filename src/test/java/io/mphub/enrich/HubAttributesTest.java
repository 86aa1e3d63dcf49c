package io.mphub.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class HubAttributesTest {

    // W3C Trace Context level 1: version 00, 16-byte trace id, 8-byte parent id, flags
    private static final Pattern W3C = Pattern.compile("^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$");
    private static final String PRODUCER = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String HEADER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final Instant NOW = Instant.parse("2026-01-01T08:00:00.123Z");

    private final ObjectMapper mapper = new ObjectMapper();
    private final HubAttributes attributes = attributes(42);

    private static HubAttributes attributes(long seed) {
        return new HubAttributes("hub-1", Clock.fixed(NOW, ZoneOffset.UTC), new Random(seed));
    }

    private ObjectNode event() {
        ObjectNode event = mapper.createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", "evt-1");
        event.put("type", "mp.user.login");
        return event;
    }

    @Test
    void addsReceivedTimeInstanceAndTraceId() {
        ObjectNode event = event();

        String traceparent = attributes.apply(event, HEADER);

        assertThat(event.get("mphubreceived").asText()).isEqualTo("2026-01-01T08:00:00.123Z");
        assertThat(event.get("mphubinstance").asText()).isEqualTo("hub-1");
        assertThat(event.get("mphubtraceid").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(event.get("traceparent").asText()).isEqualTo(traceparent);
        assertThat(event.get("id").asText()).isEqualTo("evt-1");
    }

    @Test
    void keepsProducersValidTraceparentUntouched() {
        ObjectNode event = event();
        event.put("traceparent", PRODUCER);

        String traceparent = attributes.apply(event, HEADER);

        assertThat(traceparent).isEqualTo(PRODUCER);
        assertThat(event.get("traceparent").asText()).isEqualTo(PRODUCER);
        assertThat(event.get("mphubtraceid").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    }

    @Test
    void takesHeaderTraceparentWhenEventHasNone() {
        ObjectNode event = event();

        String traceparent = attributes.apply(event, HEADER);

        assertThat(traceparent).isEqualTo(HEADER);
        assertThat(event.get("traceparent").asText()).isEqualTo(HEADER);
    }

    @Test
    void makesNewValidW3cTraceparentWhenNeitherHasOne() {
        ObjectNode event = event();

        String traceparent = attributes.apply(event, null);

        var m = W3C.matcher(traceparent);
        assertThat(m.matches()).as(traceparent).isTrue();
        assertThat(m.group(1)).isNotEqualTo("0".repeat(32));
        assertThat(m.group(2)).isNotEqualTo("0".repeat(16));
        assertThat(event.get("traceparent").asText()).isEqualTo(traceparent);
        assertThat(event.get("mphubtraceid").asText()).isEqualTo(m.group(1));
    }

    @Test
    void newTraceparentsDependOnTheRandomSourceOnly() {
        String first = attributes(7).apply(event(), null);

        assertThat(attributes(7).apply(event(), null)).isEqualTo(first);
        assertThat(attributes(8).apply(event(), null)).isNotEqualTo(first);
        assertThat(attributes.apply(event(), null)).isNotEqualTo(attributes.apply(event(), null));
    }

    @Test
    void ignoresInvalidHeaderTraceparent() {
        for (String invalid : new String[] {"", "garbage", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", "00-4bf92f35-00f067aa0ba902b7-01"}) {
            ObjectNode event = event();

            String traceparent = attributes.apply(event, invalid);

            assertThat(traceparent).as(invalid).isNotEqualTo(invalid).matches(W3C);
            assertThat(event.get("traceparent").asText()).isEqualTo(traceparent);
        }
    }
}
