package io.mphub.deliver;

import java.net.http.HttpClient;

/**
 * How one destination is spoken to: one delivery attempt, from the event to a classified {@link Outcome}. A kind
 * builds and signs its request afresh for every attempt (timestamps and nonces change; the event id does not), and
 * says what the provider's answer means. Retries, backoff, pausing and dead letters are the same for every kind and
 * stay in {@link Delivery}. Providers offer kinds ({@code io.mphub.provider.Provider}).
 */
public interface Kind {

    /**
     * @param eventId the CloudEvent id: the dedup key the provider sees on every attempt
     * @param event   the structured CloudEvent, after the destination's data contract
     * @throws InterruptedException when the hub is stopping
     */
    Outcome attempt(HttpClient http, String eventId, byte[] event) throws InterruptedException;
}
