package io.mphub.provider.segment;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

import io.mphub.config.Secret;
import io.mphub.deliver.BatchEvent;
import io.mphub.deliver.BatchKind;
import io.mphub.deliver.BatchLimits;
import io.mphub.deliver.BatchOutcome;
import io.mphub.deliver.Destination;
import io.mphub.http.PooledHttpClient;
import io.mphub.provider.Endpoints;
import io.mphub.provider.ProviderCall;

/**
 * Kind {@code segment}: a batch of events as one {@code POST <url>/v1/batch} of
 * {@code {"batch": [messages…], "sentAt": now, "context": {"library": …}}} ({@link SegmentMessages}), with HTTP Basic
 * auth: the write key as user name, an empty password. RudderStack's data plane takes the same request. An event that
 * cannot be a message (unreadable, no user, no time) is refused when it is encoded: the core dead-letters it in its
 * place and never sends it.
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
    private final Clock clock;
    private final String userAgent;
    private final byte[] context;

    SegmentKind(Destination destination, Secret writeKey, SegmentMessages messages, SegmentAnswers answers,
            ProviderCall call, Clock clock, String version) {
        this.destination = destination;
        this.endpoint = Endpoints.under(destination.url(), BATCH);
        // Segment's HTTP API, Basic authentication: the write key as user name, an empty password.
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((writeKey.value() + ":").getBytes(UTF_8));
        this.messages = messages;
        this.answers = answers;
        this.call = call;
        this.clock = clock;
        this.userAgent = "mphub/" + version;
        this.context = messages.context().toString().getBytes(UTF_8);
    }

    /** The event as a Segment message ({@link SegmentMessages}), as Segment counts it against its 32 KB. */
    @Override
    public Encoded encode(BatchEvent event) {
        return messages.encode(event);
    }

    @Override
    public BatchOutcome attempt(HttpClient http, List<BatchEvent> batch) throws InterruptedException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"batch\":".getBytes(UTF_8));
        body.writeBytes(BatchEvent.jsonArray(batch));
        body.writeBytes((",\"sentAt\":\"" + SegmentMessages.TIMESTAMP.format(clock.instant()) + "\",\"context\":")
                .getBytes(UTF_8));
        body.writeBytes(context);
        body.write('}');
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(destination.timeout())
                .header("content-type", "application/json")
                .header("authorization", authorization)
                .header("user-agent", userAgent)
                .POST(PooledHttpClient.ofBytes(body.toByteArray()))
                .build();
        ProviderCall.Answer answer = call.send(http, request);
        if (answer.failure() != null) {
            return new BatchOutcome.All(answer.failure());
        }
        HttpResponse<byte[]> response = answer.response();
        return answers.classify(response.statusCode(), response.headers().firstValue("retry-after"));
    }
}
