package io.mphub.provider.qiyu;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Outcome;
import io.mphub.deliver.WebhookOutcomes;
import io.mphub.provider.DestinationKind;
import io.mphub.provider.Endpoints;
import io.mphub.provider.Kind;
import io.mphub.provider.OutgoingEvent;
import io.mphub.provider.ProviderContext;
import io.mphub.sign.QiyuChecksum;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kind {@code qiyu}: login, order, payment and logistics events update the user's profile on the Qiyu agent's
 * side panel, {@code POST <url>/openapi/event/updateUInfo?appKey=…&time=…&checksum=…} with
 * {@code {uid: openId, userinfo: […]}} (see {@link SidePanel}); the checksum is taken over the exact body bytes
 * sent. Other event types are skipped.
 */
public final class QiyuKind implements DestinationKind {

    public static final String NAME = "qiyu";
    static final String UPDATE_USER_INFO = "/openapi/event/updateUInfo";
    private static final Logger LOG = LoggerFactory.getLogger(QiyuKind.class);

    private final Destination destination;
    private final String endpoint;
    private final QiyuChecksum checksum;
    private final SidePanel panel;
    private final QiyuAnswers answers;
    private final WebhookOutcomes http;
    private final ObjectMapper mapper;

    QiyuKind(Destination destination, QiyuChecksum checksum, SidePanel panel, QiyuAnswers answers, WebhookOutcomes http,
            ObjectMapper mapper) {
        this.destination = destination;
        this.endpoint = Endpoints.under(destination.url(), UPDATE_USER_INFO).toString();
        this.checksum = checksum;
        this.panel = panel;
        this.answers = answers;
        this.http = http;
        this.mapper = mapper;
    }

    /** The kind as {@link io.mphub.provider.Kinds} registers it. */
    public static Kind kind() {
        return new Kind(NAME, "https://qiyukf.com", QiyuSettings::check, QiyuKind::create);
    }

    private static DestinationKind create(Destination destination, ProviderContext context) {
        QiyuSettings settings = QiyuSettings.read(context.settings());
        WebhookOutcomes http = new WebhookOutcomes(context.clock());
        return new QiyuKind(destination, new QiyuChecksum(settings.appKey(), settings.appSecret().value(),
                context.clock()), new SidePanel(context.mapper(), settings.orderLink()),
                new QiyuAnswers(context.mapper(), http), http, context.mapper());
    }

    @Override
    public Outcome attempt(HttpClient client, String eventId, byte[] bytes) throws InterruptedException {
        OutgoingEvent event;
        try {
            event = OutgoingEvent.read(mapper, bytes);
        } catch (IOException e) {
            return new Outcome.Permanent("unreadable_event", e.getMessage());
        }
        Optional<ArrayNode> userinfo = panel.userinfo(event);
        if (userinfo.isEmpty()) {
            return new Outcome.Skipped("unsupported_type", "Qiyu's side panel does not show " + event.type());
        }
        Optional<String> uid = event.text("openId").or(() -> Optional.of(event.subject()).filter(s -> !s.isBlank()));
        if (uid.isEmpty()) {
            return new Outcome.Permanent("missing_field", "neither data.openId nor subject names the user");
        }
        String body = body(uid.get(), userinfo.get());
        // Qiyu: checksum = SHA1(appSecret + md5(body) + time), over the very characters sent (UTF-8)
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "?" + checksum.query(body)))
                .timeout(destination.timeout())
                .header("content-type", "application/json;charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            Outcome outcome = answers.classify(response.statusCode(), response.headers().firstValue("retry-after"),
                    response.body());
            if (outcome instanceof Outcome.Wait refused) {
                // Qiyu refused the app's credentials or the clock: an operator must fix them (the message says what).
                LOG.error("event {} to {}: {}; the destination waits {} min, then tries again (nothing is dead-lettered)",
                        eventId, destination.name(), refused.message(), refused.window().toMinutes());
            }
            return outcome;
        } catch (IOException e) {
            return http.classify(e);
        }
    }

    private String body(String uid, ArrayNode userinfo) {
        try {
            return mapper.writeValueAsString(mapper.createObjectNode().put("uid", uid).set("userinfo", userinfo));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Qiyu request", e);
        }
    }
}
