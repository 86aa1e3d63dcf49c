package io.mphub.provider;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.mphub.deliver.Destination;
import io.mphub.deliver.Outcome;
import io.mphub.deliver.WebhookOutcomes;
import io.mphub.kafka.Outbox;
import io.mphub.sign.StandardWebhooksSigner;

/**
 * Kind {@code webhook}: an HTTP POST of the structured CloudEvent ({@code application/cloudevents+json}), signed
 * per Standard Webhooks. The request is built from scratch, so no internal header of the hub can reach the
 * receiver.
 */
public final class WebhookKind implements DestinationKind {

    private final Destination destination;
    private final StandardWebhooksSigner signer;
    private final WebhookOutcomes outcomes;

    public WebhookKind(Destination destination, StandardWebhooksSigner signer, WebhookOutcomes outcomes) {
        this.destination = destination;
        this.signer = signer;
        this.outcomes = outcomes;
    }

    @Override
    public Outcome attempt(HttpClient http, String eventId, byte[] event) throws InterruptedException {
        StandardWebhooksSigner.Signed signed = signer.sign(eventId, event);
        HttpRequest request = HttpRequest.newBuilder(destination.url())
                .timeout(destination.timeout())
                .header("content-type", Outbox.CONTENT_TYPE)
                .header(StandardWebhooksSigner.ID, signed.id())
                .header(StandardWebhooksSigner.TIMESTAMP, signed.timestamp())
                .header(StandardWebhooksSigner.SIGNATURE, signed.signature())
                .POST(HttpRequest.BodyPublishers.ofByteArray(event))
                .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return outcomes.classify(response.statusCode(), response.headers().firstValue("retry-after"));
        } catch (IOException e) {
            return outcomes.classify(e);
        }
    }
}
