package io.mphub.provider.kuaidi100;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.callback.Callback;
import io.mphub.callback.FormFields;
import io.mphub.config.Secret;
import io.mphub.event.Results;
import io.mphub.provider.ProviderContext;
import io.mphub.sign.Kuaidi100Signer;
import io.mphub.sign.Kuaidi100SubscriptionSalt;
import io.mphub.sign.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /callbacks/kuaidi100}: Kuaidi100's tracking pushes for the subscriptions {@link Kuaidi100Kind} made. A push
 * is a form with {@code param} (the tracking JSON) and {@code sign} = MD5(param + salt), posted to the subscription's
 * callback URL, whose query names the app, user, order and waybill (see {@link TrackingContext}).
 * <ul>
 * <li>no {@code param}, not JSON, no {@code lastResult} with {@code com}, {@code nu} and {@code state}, or a query
 * without the context: 400, nothing published;</li>
 * <li>no {@code sign}, or one that does not match the push with the salt of the context it claims: 401, nothing
 * published;</li>
 * <li>signed, but {@code lastResult.nu} is another number than the query's {@code waybillNo} (case and white
 * space aside): 400, nothing published;</li>
 * <li>otherwise {@code mp.logistics.updated} is published on {@code mp.results}, and only once Kafka acknowledged
 * it does the hub answer Kuaidi100's success, {@code {"result":true,"returnCode":"200","message":"成功"}}. If the
 * write fails or Kafka does not acknowledge it within {@link Results#DEADLINE} (well inside the 20 s Kuaidi100
 * waits), it answers 500 with {@code result: false} and Kuaidi100 pushes again (a repeat carries the same event
 * id);</li>
 * <li>a push already published (the same id), by this replica or another, before or after a restart: its success
 * answer, nothing published ({@link io.mphub.kafka.CallbackLedger}).</li>
 * </ul>
 */
public final class Kuaidi100Callback implements Callback {

    public static final String NAME = "kuaidi100";
    private static final Logger LOG = LoggerFactory.getLogger(Kuaidi100Callback.class);
    static final String SUCCESS = "{\"result\":true,\"returnCode\":\"200\",\"message\":\"成功\"}";

    /** Where a verified push goes: {@code mp.results} in the hub, anything in a test. */
    @FunctionalInterface
    public interface Publisher {
        /** @return false when the same push was published before (by any replica): nothing new is */
        boolean publish(String id, String subject, ObjectNode data);
    }

    private final Kuaidi100SubscriptionSalt salts;
    private final Publisher publisher;
    private final ObjectMapper mapper;

    Kuaidi100Callback(Kuaidi100SubscriptionSalt salts, Publisher publisher, ObjectMapper mapper) {
        this.salts = salts;
        this.publisher = publisher;
        this.mapper = mapper;
    }

    /** The callback publishing on {@code mp.results}: served whenever the master salt is set. */
    static Kuaidi100Callback create(Secret masterSalt, ProviderContext context) {
        Results results = context.results();
        return new Kuaidi100Callback(new Kuaidi100SubscriptionSalt(masterSalt.value()),
                (id, subject, data) -> results.publishOnce(NAME + "/" + id, id, TrackingUpdate.TYPE, subject, data),
                context.mapper());
    }

    @Override
    public Answer handle(Request request) {
        FormFields form;
        FormFields query;
        try {
            form = FormFields.parse(new String(request.body(), UTF_8));
            query = FormFields.parse(request.rawQuery());
        } catch (IllegalArgumentException e) {
            return refuse(400, "malformed", "unreadable form or query: " + e.getMessage());
        }
        Optional<String> param = form.get("param");
        if (param.isEmpty()) {
            return refuse(400, "malformed", "no param");
        }
        Optional<String> sign = form.get("sign");
        if (sign.isEmpty()) {
            return refuse(401, "bad_signature", "no sign");
        }
        JsonNode push = json(param.get());
        if (push == null || !push.path("lastResult").isObject()) {
            return refuse(400, "malformed", "param is not JSON with a lastResult object");
        }
        JsonNode last = push.get("lastResult");
        Optional<String> missing = Stream.of("com", "nu", "state")
                .filter(f -> !last.path(f).isValueNode() || last.path(f).asText().isBlank()).findFirst();
        if (missing.isPresent()) {
            return refuse(400, "malformed", "lastResult has no " + missing.get());
        }
        Optional<TrackingContext> context = TrackingContext.of(query);
        if (context.isEmpty()) {
            return refuse(400, "malformed", "the callback URL's query lacks appId, openId, orderId or waybillNo");
        }
        // The salt is derived from the context the push claims: a forged or edited query fails here too.
        Verdict verdict = new Kuaidi100Signer(context.get().salt(salts)).verifyPush(param.get(), sign.get());
        if (!verdict.valid()) {
            return refuse(401, "bad_signature", verdict + ": sign does not match the push and its query");
        }
        if (!context.get().follows(last.get("nu").asText())) {
            return refuse(400, "malformed", "lastResult.nu is another number than the subscription's waybillNo");
        }
        TrackingUpdate update = TrackingUpdate.of(context.get(), push, mapper);
        return publish(update);
    }

    private Answer publish(TrackingUpdate update) {
        boolean published;
        try {
            published = publisher.publish(update.id(), update.subject(), update.data());
        } catch (RuntimeException e) {
            // Most likely Kafka refused or did not acknowledge in time: Kuaidi100 pushes again, in its own format.
            return answer(500, "error", "try again", update.id() + ": " + e.getMessage());
        }
        if (!published) {
            return Answer.json(200, SUCCESS, "duplicate", update.id());
        }
        LOG.info("Kuaidi100 push published as {} (state {}, status {})", update.id(),
                update.data().path("state").asText(), update.data().path("status").asText("-"));
        return Answer.json(200, SUCCESS, "accepted", update.id());
    }

    private JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private Answer refuse(int status, String outcome, String detail) {
        return answer(status, outcome, status == 401 ? "bad sign" : "malformed push", detail);
    }

    /** An answer in Kuaidi100's own format, {@code result: false} with the HTTP status as its code. */
    private Answer answer(int status, String outcome, String message, String detail) {
        ObjectNode body = mapper.createObjectNode().put("result", false).put("returnCode", String.valueOf(status))
                .put("message", message);
        return Answer.json(status, body.toString(), outcome, detail);
    }
}
