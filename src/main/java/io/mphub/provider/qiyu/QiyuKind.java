package io.mphub.provider.qiyu;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Kind;
import io.mphub.deliver.Outcome;
import io.mphub.provider.Endpoints;
import io.mphub.provider.OutgoingEvent;
import io.mphub.provider.ProviderCall;
import io.mphub.sign.QiyuChecksum;

/**
 * Kind {@code qiyu}: login, order, payment and logistics events update the user's profile on the Qiyu agent's
 * side panel, {@code POST <url>/openapi/event/updateUInfo?appKey=…&time=…&checksum=…} with
 * {@code {uid: openId, userinfo: […]}} (see {@link SidePanel}); the checksum is taken over the exact body bytes
 * sent. Other event types are skipped.
 */
public final class QiyuKind implements Kind {

    public static final String NAME = "qiyu";
    static final String UPDATE_USER_INFO = "/openapi/event/updateUInfo";

    private final Destination destination;
    private final String endpoint;
    private final QiyuChecksum checksum;
    private final SidePanel panel;
    private final QiyuAnswers answers;
    private final ProviderCall call;
    private final ObjectMapper mapper;

    QiyuKind(Destination destination, QiyuChecksum checksum, SidePanel panel, QiyuAnswers answers, ProviderCall call,
            ObjectMapper mapper) {
        this.destination = destination;
        this.endpoint = Endpoints.under(destination.url(), UPDATE_USER_INFO).toString();
        this.checksum = checksum;
        this.panel = panel;
        this.answers = answers;
        this.call = call;
        this.mapper = mapper;
    }

    @Override
    public Outcome attempt(HttpClient client, String eventId, byte[] bytes) throws InterruptedException {
        return OutgoingEvent.readThen(mapper, bytes, event -> updateUserInfo(client, event));
    }

    private Outcome updateUserInfo(HttpClient client, OutgoingEvent event) throws InterruptedException {
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
        return call.call(client, request, response -> answers.classify(response.statusCode(),
                response.headers().firstValue("retry-after"), response.body()));
    }

    private String body(String uid, ArrayNode userinfo) {
        try {
            return mapper.writeValueAsString(mapper.createObjectNode().put("uid", uid).set("userinfo", userinfo));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Qiyu request", e);
        }
    }
}
