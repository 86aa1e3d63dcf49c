package io.mphub.provider.tencentmap;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.mphub.config.Secret;
import io.mphub.enrich.Coordinates.Cell;
import io.mphub.enrich.GeocodeOutcome;
import io.mphub.enrich.GeocodeResult;
import io.mphub.enrich.ReverseGeocoder;
import io.mphub.provider.Endpoints;
import io.mphub.sign.TencentMapSigner;

/**
 * Tencent Location Service reverse geocoding: {@code GET /ws/geocoder/v1?key=KEY&location=lat,lng&sig=SIG},
 * signed with the key's SK ({@link TencentMapSigner}), answered within the timeout or given up.
 */
public final class TencentMapGeocoder implements ReverseGeocoder {

    /** The path as signed; Tencent checks the signature against the path requested, so it is exactly this. */
    public static final String PATH = "/ws/geocoder/v1";

    private final URI base;
    private final Secret key;
    private final TencentMapSigner signer;
    private final HttpClient http;
    private final Duration timeout;
    private final TencentMapAnswers answers;

    /** @param base scheme, host and port, e.g. {@code https://apis.map.qq.com} */
    public TencentMapGeocoder(URI base, Secret key, TencentMapSigner signer, HttpClient http, Duration timeout,
            TencentMapAnswers answers) {
        this.base = base;
        this.key = key;
        this.signer = signer;
        this.http = http;
        this.timeout = timeout;
        this.answers = answers;
    }


    @Override
    public GeocodeResult lookup(Cell cell) throws InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request(cell), HttpResponse.BodyHandlers.ofByteArray());
        try {
            // The request's own timeout ends at the response headers; this bounds the body too.
            HttpResponse<byte[]> response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return answers.read(response.statusCode(), response.body());
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

    /** The signed request: parameters sorted, values URL-encoded, {@code sig} over their raw values. */
    HttpRequest request(Cell cell) {
        String pathAndQuery = signer.signedPathAndQuery(PATH, Map.of("key", key.value(), "location", cell.location()));
        return HttpRequest.newBuilder(Endpoints.under(base, pathAndQuery)).timeout(timeout).GET().build();
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
        return Endpoints.under(base, PATH).toString();
    }
}
