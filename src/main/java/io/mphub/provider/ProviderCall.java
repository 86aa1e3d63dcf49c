package io.mphub.provider;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Function;

import io.mphub.deliver.HttpAnswers;
import io.mphub.deliver.Outcome;

/**
 * One HTTP call of a kind to its provider, the part every kind shares: the request sent, and a failure to get an
 * answer (a timeout, a refused connection) told as an outcome by {@link HttpAnswers}, by its class alone (its
 * message can quote the URL, and some providers carry credentials in the query).
 */
public final class ProviderCall {

    /** The provider's answer, or the outcome of not getting one. */
    public record Answer(HttpResponse<byte[]> response, Outcome failure) {
    }

    private final HttpAnswers http;

    public ProviderCall(HttpAnswers http) {
        this.http = http;
    }

    public Answer send(HttpClient client, HttpRequest request) throws InterruptedException {
        try {
            return new Answer(client.send(request, HttpResponse.BodyHandlers.ofByteArray()), null);
        } catch (IOException e) {
            return new Answer(null, http.classify(e));
        }
    }

    /** Sends and says what the answer means. */
    public Outcome call(HttpClient client, HttpRequest request, Function<HttpResponse<byte[]>, Outcome> meaning)
            throws InterruptedException {
        Answer answer = send(client, request);
        return answer.failure() != null ? answer.failure() : meaning.apply(answer.response());
    }

    /**
     * Sends when the status and headers say it all (a webhook's answer): the body is discarded as it arrives, never
     * held in memory.
     */
    public Outcome status(HttpClient client, HttpRequest request, Function<HttpResponse<Void>, Outcome> meaning)
            throws InterruptedException {
        try {
            return meaning.apply(client.send(request, HttpResponse.BodyHandlers.discarding()));
        } catch (IOException e) {
            return http.classify(e);
        }
    }

    /** What an answer's status means when the status says it all. */
    public HttpAnswers http() {
        return http;
    }
}
