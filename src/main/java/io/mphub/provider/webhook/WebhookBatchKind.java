package io.mphub.provider.webhook;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.deliver.BatchEvent;
import io.mphub.deliver.BatchKind;
import io.mphub.deliver.BatchLimits;
import io.mphub.deliver.BatchOutcome;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Outcome;
import io.mphub.http.PooledHttpClient;
import io.mphub.provider.ProviderCall;
import io.mphub.sign.Digests;
import io.mphub.sign.StandardWebhooksSigner;

/**
 * Kind {@code webhook} in batches: an HTTP POST of a CloudEvents JSON batch ({@code application/cloudevents-batch+json},
 * a JSON array of structured events, each with its own {@code id}), signed once per request by Standard Webhooks.
 * The request's {@code webhook-id} is derived from the ids of the events it carries, so a retried request carries the
 * same one and a receiver can drop a repeat.
 * <p>
 * Answers: 2xx delivered, unless its body names events it refused ({@code {"rejected": [{"id": "…", "reason": "…"}]}}):
 * those are dead-lettered with that reason, the others are delivered. 413: too large (split until alone, then
 * {@code too_large}); any other status as for one event ({@link io.mphub.deliver.HttpAnswers}): a 4xx is split
 * until the event it refuses is alone.
 */
public final class WebhookBatchKind implements BatchKind {

    public static final String CONTENT_TYPE = "application/cloudevents-batch+json";
    /** What the hub sends a webhook receiver at most in one request (its own choice: receivers have no standard). */
    public static final BatchLimits LIMITS = new BatchLimits(500, 1024 * 1024, 1024 * 1024);
    private static final int MAX_ANSWER = 64 * 1024;

    private final Destination destination;
    private final StandardWebhooksSigner signer;
    private final ProviderCall call;
    private final ObjectMapper mapper;

    public WebhookBatchKind(Destination destination, StandardWebhooksSigner signer, ProviderCall call,
            ObjectMapper mapper) {
        this.destination = destination;
        this.signer = signer;
        this.call = call;
        this.mapper = mapper;
    }

    @Override
    public BatchOutcome attempt(HttpClient http, List<BatchEvent> batch) throws InterruptedException {
        byte[] body = BatchEvent.jsonArray(batch);
        StandardWebhooksSigner.Signed signed = signer.sign(id(batch), body);
        HttpRequest request = HttpRequest.newBuilder(destination.url())
                .timeout(destination.timeout())
                .header("content-type", CONTENT_TYPE)
                .header(StandardWebhooksSigner.ID, signed.id())
                .header(StandardWebhooksSigner.TIMESTAMP, signed.timestamp())
                .header(StandardWebhooksSigner.SIGNATURE, signed.signature())
                .POST(PooledHttpClient.ofBytes(body))
                .build();
        ProviderCall.Answer answer = call.send(http, request);
        if (answer.failure() != null) {
            return new BatchOutcome.All(answer.failure());
        }
        HttpResponse<byte[]> response = answer.response();
        int status = response.statusCode();
        Outcome outcome = call.http().classify(status, response.headers().firstValue("retry-after"));
        if (outcome instanceof Outcome.Delivered) {
            Map<Integer, Outcome.Permanent> rejected = rejected(batch, response.body());
            if (!rejected.isEmpty()) {
                return new BatchOutcome.Named(rejected, status);
            }
        }
        return new BatchOutcome.All(outcome);
    }

    /**
     * The request's {@code webhook-id}: {@code batch_} and the SHA-256 of its events' ids, one per line, in Base64url.
     * The same events give the same id on every attempt.
     */
    static String id(List<BatchEvent> batch) {
        StringBuilder ids = new StringBuilder();
        for (BatchEvent event : batch) {
            ids.append(event.id()).append('\n');
        }
        return "batch_" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Digests.sha256(ids.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** The events a 2xx answer says it refused, by index; an answer without that list names none. */
    private Map<Integer, Outcome.Permanent> rejected(List<BatchEvent> batch, byte[] answer) {
        if (answer == null || answer.length == 0 || answer.length > MAX_ANSWER) {
            return Map.of();
        }
        JsonNode rejected;
        try {
            rejected = mapper.readTree(answer).path("rejected");
        } catch (IOException notJson) {
            return Map.of();
        }
        if (!rejected.isArray() || rejected.isEmpty()) {
            return Map.of();
        }
        // A producer's retry may put the same event twice into one batch: a refusal names every copy.
        Map<String, List<Integer>> index = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            index.computeIfAbsent(batch.get(i).id(), id -> new ArrayList<>()).add(i);
        }
        Map<Integer, Outcome.Permanent> named = new HashMap<>();
        for (JsonNode entry : rejected) {
            String reason = entry.path("reason").asText("rejected");
            for (int i : index.getOrDefault(entry.path("id").asText(), List.of())) {
                named.put(i, new Outcome.Permanent("rejected", "the receiver refused it: " + cut(reason)));
            }
        }
        return named;
    }

    private static String cut(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
