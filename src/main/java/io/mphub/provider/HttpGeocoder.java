package io.mphub.provider;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.config.Secret;
import io.mphub.enrich.Coordinates.Cell;
import io.mphub.enrich.GeocodeOutcome;
import io.mphub.enrich.GeocodeResult;
import io.mphub.enrich.ReverseGeocoder;

/**
 * A reverse-geocoding provider's web API (Tencent Location Service, AMap): one signed GET per cell, answered within
 * the timeout or given up, its answer classified by the provider's own rules. The key travels in the URL, so it is
 * kept out of every detail and of {@link #toString}.
 */
public final class HttpGeocoder implements ReverseGeocoder {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one of the provider's answers means. */
    @FunctionalInterface
    public interface Answers {
        /** @param answer the JSON body of an HTTP 200 answer */
        GeocodeResult read(JsonNode answer);
    }

    private final Function<Cell, URI> requests;
    private final Answers answers;
    private final Secret key;
    private final HttpClient http;
    private final Duration timeout;
    private final URI where;

    /**
     * @param requests the signed URL asking about a cell
     * @param where    for logs: the API's URL without a query
     */
    public HttpGeocoder(Function<Cell, URI> requests, Answers answers, Secret key, Duration timeout, URI where) {
        this.requests = requests;
        this.answers = answers;
        this.key = key;
        this.http = Endpoints.asyncClient(where, timeout);
        this.timeout = timeout;
        this.where = where;
    }

    @Override
    public GeocodeResult lookup(Cell cell) throws InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request(cell),
                HttpResponse.BodyHandlers.ofByteArray());
        try {
            // The request's own timeout ends at the response headers; this bounds the body too.
            HttpResponse<byte[]> response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return read(answers, response.statusCode(), response.body());
        } catch (TimeoutException e) {
            call.cancel(true);
            return timedOut();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return timedOut();
            }
            return GeocodeResult.failed(GeocodeOutcome.UNAVAILABLE, describe(cause));
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        }
    }

    /** What an answer means: both services answer HTTP 200 with JSON, anything else is a service unavailable. */
    public static GeocodeResult read(Answers answers, int httpStatus, byte[] body) {
        if (httpStatus != 200) {
            return GeocodeResult.failed(GeocodeOutcome.UNAVAILABLE, "HTTP " + httpStatus);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(body);
        } catch (IOException e) {
            return GeocodeResult.failed(GeocodeOutcome.UNAVAILABLE, "the answer is not JSON");
        }
        return answer == null || !answer.isObject()
                ? GeocodeResult.failed(GeocodeOutcome.UNAVAILABLE, "the answer is not a JSON object")
                : answers.read(answer);
    }

    /** The request for a cell. */
    public HttpRequest request(Cell cell) {
        return HttpRequest.newBuilder(requests.apply(cell)).timeout(timeout).GET().build();
    }

    private GeocodeResult timedOut() {
        return GeocodeResult.failed(GeocodeOutcome.TIMEOUT, "no answer within " + timeout.toMillis() + " ms");
    }

    /** The failure without the key: the request URL carries it, and an exception message might too. */
    private String describe(Throwable cause) {
        if (cause == null) {
            return "unknown failure";
        }
        String text = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return text.replace(key.value(), "[key]");
    }

    /** For logs: where the calls go, never with the key. */
    @Override
    public String toString() {
        return where.toString();
    }
}
