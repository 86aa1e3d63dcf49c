package io.mphub.provider.webhook;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;

import io.mphub.deliver.Destination;
import io.mphub.deliver.Kind;
import io.mphub.deliver.Outcome;
import io.mphub.http.PooledHttpClient;
import io.mphub.kafka.Outbox;
import io.mphub.provider.ProviderCall;
import io.mphub.sign.StandardWebhooksSigner;

/**
 * Kind {@code webhook}: an HTTP POST of the structured CloudEvent ({@code application/cloudevents+json}), signed
 * per Standard Webhooks. The request is built from scratch, so no internal header of the hub can reach the
 * receiver.
 */
public final class WebhookKind implements Kind {

    private final Destination destination;
    private final StandardWebhooksSigner signer;
    private final ProviderCall call;

    public WebhookKind(Destination destination, StandardWebhooksSigner signer, ProviderCall call) {
        this.destination = destination;
        this.signer = signer;
        this.call = call;
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
                .POST(PooledHttpClient.ofBytes(event))
                .build();
        return call.status(http, request, response -> call.http().classify(response.statusCode(),
                response.headers().firstValue("retry-after")));
    }
}
