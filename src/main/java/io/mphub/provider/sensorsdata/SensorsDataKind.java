package io.mphub.provider.sensorsdata;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import io.mphub.deliver.BatchEvent;
import io.mphub.deliver.BatchKind;
import io.mphub.deliver.BatchLimits;
import io.mphub.deliver.BatchOutcome;
import io.mphub.deliver.Destination;
import io.mphub.provider.ProviderCall;

/**
 * Kind {@code sensorsdata}: a batch of events as one POST of {@code gzip=1&data_list=…} ({@link DataList}) to the
 * project's data-receiving URL, each event a {@code track} record ({@link SensorsDataRecords}). An event that cannot
 * be a record (unreadable, no user, no time) is refused when it is encoded: the core dead-letters it in its place and
 * never sends it.
 */
final class SensorsDataKind implements BatchKind {

    /**
     * 50 events: Sensors Data's advice for one request, the SDK's BatchConsumer default. Bytes are counted as the
     * records' JSON before GZIP: at most 1 MiB per request (the Base64 of the GZIP sent is far less, well under the
     * usual 1–10 MB body limit of the proxy in front of a collector), 256 KiB per record (a record's texts are cut
     * at 8,192 characters, so only an event with dozens of long fields comes near it).
     */
    static final BatchLimits LIMITS = new BatchLimits(50, 1024 * 1024, 256 * 1024);

    private final Destination destination;
    private final URI endpoint;
    private final SensorsDataRecords records;
    private final SensorsDataAnswers answers;
    private final ProviderCall call;
    private final String userAgent;

    SensorsDataKind(Destination destination, URI endpoint, SensorsDataRecords records, SensorsDataAnswers answers,
            ProviderCall call, String version) {
        this.destination = destination;
        this.endpoint = endpoint;
        this.records = records;
        this.answers = answers;
        this.call = call;
        this.userAgent = "mphub/" + version;
    }

    /** The event as a Sensors Data {@code track} record ({@link SensorsDataRecords}), counted as JSON before GZIP. */
    @Override
    public Encoded encode(BatchEvent event) {
        return records.encode(event);
    }

    @Override
    public BatchOutcome attempt(HttpClient http, List<BatchEvent> batch) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(destination.timeout())
                .header("content-type", "application/x-www-form-urlencoded")
                .header("user-agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofString(DataList.form(BatchEvent.jsonArray(batch)), UTF_8))
                .build();
        ProviderCall.Answer answer = call.send(http, request);
        if (answer.failure() != null) {
            return new BatchOutcome.All(answer.failure());
        }
        HttpResponse<byte[]> response = answer.response();
        return answers.classify(response.statusCode(), response.headers().firstValue("retry-after"));
    }
}
