package io.mphub.provider.segment;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mphub.config.Secret;
import io.mphub.deliver.BatchEvent;
import io.mphub.deliver.BatchKind;
import io.mphub.deliver.BatchLimits;
import io.mphub.deliver.BatchOutcome;
import io.mphub.deliver.Destination;
import io.mphub.provider.Endpoints;
import io.mphub.provider.ProviderCall;
import io.mphub.provider.TrackedEvent;

/**
 * Kind {@code segment}: a batch of events as one {@code POST <url>/v1/batch} of
 * {@code {"batch": [messages…], "sentAt": now, "context": {"library": …}}} ({@link SegmentMessages}), with HTTP Basic
 * auth: the write key as user name, an empty password. RudderStack's data plane takes the same request. An event that
 * cannot be a message (unreadable, no user, no time) is named in a {@link BatchOutcome.Named} before anything is
 * sent, so the core dead-letters it and sends the others without it.
 */
final class SegmentKind implements BatchKind {

    static final String BATCH = "/v1/batch";
    /**
     * Segment's HTTP API: at most 500 KB per batch request and 32 KB per event (above: 400), at most 2,500 events per
     * batch (above: refused with a 200). Counted as analytics-java counts them (1024 × 500 and 1024 × 32 bytes of JSON).
     * The batch's bytes leave 4 KiB for what is not a message: the envelope (sentAt, context, ~150 bytes) and the
     * commas between messages.
     */
    static final BatchLimits LIMITS = new BatchLimits(2500, 500 * 1024 - 4096, 32 * 1024);

    private final Destination destination;
    private final URI endpoint;
    private final String authorization;
    private final SegmentMessages messages;
    private final SegmentAnswers answers;
    private final ProviderCall call;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final String userAgent;

    SegmentKind(Destination destination, Secret writeKey, SegmentMessages messages, SegmentAnswers answers,
            ProviderCall call, ObjectMapper mapper, Clock clock, String version) {
        this.destination = destination;
        this.endpoint = Endpoints.under(destination.url(), BATCH);
        // Segment's HTTP API, Basic authentication: the write key as user name, an empty password.
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((writeKey.value() + ":").getBytes(UTF_8));
        this.messages = messages;
        this.answers = answers;
        this.call = call;
        this.mapper = mapper;
        this.clock = clock;
        this.userAgent = "mphub/" + version;
    }

    @Override
    public int size(BatchEvent event) {
        return messages.size(event);
    }

    @Override
    public BatchOutcome attempt(HttpClient http, List<BatchEvent> batch) throws InterruptedException {
        TrackedEvent.Records built = TrackedEvent.Records.of(batch, messages::message);
        if (!built.refused().isEmpty()) {
            return new BatchOutcome.Named(built.refused(), false, 0); // nothing sent: the others go again without these
        }
        ObjectNode body = mapper.createObjectNode();
        body.putArray("batch").addAll(built.records());
        body.put("sentAt", SegmentMessages.TIMESTAMP.format(clock.instant()));
        body.set("context", messages.context());
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(destination.timeout())
                .header("content-type", "application/json")
                .header("authorization", authorization)
                .header("user-agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofByteArray(messages.bytes(body)))
                .build();
        ProviderCall.Answer answer = call.send(http, request);
        if (answer.failure() != null) {
            return new BatchOutcome.All(answer.failure());
        }
        HttpResponse<byte[]> response = answer.response();
        return answers.classify(response.statusCode(), response.headers().firstValue("retry-after"));
    }
}
