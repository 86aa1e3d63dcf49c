package io.mphub.ops;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.mphub.deliver.DeliveryLog;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever an event, a receiver or an operator put in a value, the page shows it as text. */
class ConsolePageTest {

    private static final String HOSTILE = "<img src=x onerror=alert(1)>\"'&";

    @Test
    void everyValueFromOutsideIsEscaped() {
        DeliveryLog.Attempt attempt = new DeliveryLog.Attempt(Instant.parse("2026-11-29T08:00:00Z"), "payment",
                HOSTILE, HOSTILE, 1, "retry", HOSTILE, HOSTILE, 12);
        Overview.View view = new Overview.View("2026-11-29T08:00:01Z", true,
                new Overview.IngestView(0, 0, 0L, Map.of(HOSTILE, 1L), 0L),
                List.of(new Overview.DestinationView("payment", "webhook", "paused",
                        new Overview.PauseView("hand", HOSTILE, "2026-11-29T08:00:00Z", null, null), 3L, 0, 0, 1, 0,
                        0L, attempt)));
        String html = ConsolePage.render(view, List.of(attempt), Map.of("event", HOSTILE), List.of(), true, 200);

        assertThat(html).doesNotContain("<img").doesNotContain("onerror=alert(1)>\"")
                .contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;");
        assertThat(html).contains("<script src=\"/console.js\"></script>").doesNotContain("<script>");
    }
}
