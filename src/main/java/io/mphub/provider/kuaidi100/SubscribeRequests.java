package io.mphub.provider.kuaidi100;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.net.URLEncoder;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.config.Secret;
import io.mphub.provider.OutgoingEvent;
import io.mphub.sign.Kuaidi100SubscriptionSalt;

/**
 * Builds the form of a tracking subscription ({@code POST /poll}) for a shipped order:
 * {@code schema=json&param={company, number, key, parameters {callbackurl, salt, resultv2, phone}}}.
 */
final class SubscribeRequests {

    /** The data fields a subscription cannot do without. */
    static final List<String> REQUIRED = List.of("appId", "openId", "orderId", "carrier", "waybillNo");
    // Kuaidi100 resultv2=1: checkpoints come with the parsed administrative area (areaName, areaCode)
    private static final String RESULT_V2 = "1";

    private final Secret key;
    private final URI callbackUrl;
    private final Kuaidi100SubscriptionSalt salts;
    private final ObjectMapper mapper;

    SubscribeRequests(Secret key, URI callbackUrl, Kuaidi100SubscriptionSalt salts, ObjectMapper mapper) {
        this.key = key;
        this.callbackUrl = callbackUrl;
        this.salts = salts;
        this.mapper = mapper;
    }

    /** The first required field the event lacks (the destination's data contract may have dropped it). */
    static Optional<String> missingField(OutgoingEvent event) {
        return REQUIRED.stream().filter(f -> event.text(f).isEmpty()).findFirst();
    }

    /** The {@code param} JSON of the subscription; the event has every {@link #REQUIRED} field. */
    String param(OutgoingEvent event) {
        TrackingContext context = new TrackingContext(event.text("appId").orElseThrow(),
                event.text("openId").orElseThrow(), event.text("orderId").orElseThrow(),
                event.text("waybillNo").orElseThrow());
        ObjectNode param = mapper.createObjectNode()
                .put("company", event.text("carrier").orElseThrow())
                .put("number", context.waybillNo())
                .put("key", key.value());
        ObjectNode parameters = param.putObject("parameters")
                .put("callbackurl", context.callbackUrl(callbackUrl))
                .put("salt", context.salt(salts))
                .put("resultv2", RESULT_V2);
        // Kuaidi100: some carriers (SF Express among them) answer only with the receiver's or sender's phone
        event.text("receiverPhone").ifPresent(phone -> parameters.put("phone", phone));
        try {
            return mapper.writeValueAsString(param);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Kuaidi100 subscription", e);
        }
    }

    /** The form body: {@code schema=json&param=…}, URL-encoded as UTF-8. */
    String form(OutgoingEvent event) {
        return "schema=json&param=" + URLEncoder.encode(param(event), UTF_8);
    }
}
