package io.mphub.provider.kuaidi100;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Outcome;
import io.mphub.deliver.WebhookOutcomes;
import io.mphub.provider.DestinationKind;
import io.mphub.provider.Endpoints;
import io.mphub.provider.Kind;
import io.mphub.provider.OutgoingEvent;
import io.mphub.provider.ProviderContext;
import io.mphub.sign.Kuaidi100SubscriptionSalt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kind {@code kuaidi100}: a shipped order becomes a Kuaidi100 tracking subscription ({@code POST <url>/poll}),
 * whose pushes come back to {@link Kuaidi100Callback} and are published as {@code mp.logistics.updated}. Other event
 * types are skipped: Kuaidi100 has nothing to do with them.
 */
public final class Kuaidi100Kind implements DestinationKind {

    public static final String NAME = "kuaidi100";
    public static final String SHIPPED = "mp.order.shipped";
    private static final Logger LOG = LoggerFactory.getLogger(Kuaidi100Kind.class);

    private final Destination destination;
    private final URI poll;
    private final SubscribeRequests requests;
    private final SubscribeAnswers answers;
    private final WebhookOutcomes http;
    private final ObjectMapper mapper;

    Kuaidi100Kind(Destination destination, SubscribeRequests requests, SubscribeAnswers answers, WebhookOutcomes http,
            ObjectMapper mapper) {
        this.destination = destination;
        this.poll = Endpoints.under(destination.url(), "/poll");
        this.requests = requests;
        this.answers = answers;
        this.http = http;
        this.mapper = mapper;
    }

    /** The kind as {@link io.mphub.provider.Kinds} registers it. */
    public static Kind kind() {
        return new Kind(NAME, "https://poll.kuaidi100.com", Kuaidi100Settings::check, Kuaidi100Kind::create);
    }

    private static DestinationKind create(Destination destination, ProviderContext context) {
        Kuaidi100Settings settings = Kuaidi100Settings.read(context.settings());
        WebhookOutcomes http = new WebhookOutcomes(context.clock());
        Counter alreadySubscribed = Counter.builder(SubscribeAnswers.ALREADY_SUBSCRIBED)
                .description("shipped orders whose waybill Kuaidi100 already tracked (returnCode 501), counted as done")
                .tag("destination", destination.name()).register(context.metrics());
        return new Kuaidi100Kind(destination, new SubscribeRequests(settings.key(), settings.callbackUrl(),
                new Kuaidi100SubscriptionSalt(settings.masterSalt().value()), context.mapper()),
                new SubscribeAnswers(context.mapper(), http, alreadySubscribed), http, context.mapper());
    }

    @Override
    public Outcome attempt(HttpClient client, String eventId, byte[] bytes) throws InterruptedException {
        OutgoingEvent event;
        try {
            event = OutgoingEvent.read(mapper, bytes);
        } catch (IOException e) {
            return new Outcome.Permanent("unreadable_event", e.getMessage());
        }
        if (!SHIPPED.equals(event.type())) {
            return new Outcome.Skipped("unsupported_type", "Kuaidi100 takes only " + SHIPPED + ", not " + event.type());
        }
        Optional<String> missing = SubscribeRequests.missingField(event);
        if (missing.isPresent()) {
            return new Outcome.Permanent("missing_field", "data." + missing.get()
                    + " is needed to subscribe (check mphub.destinations." + destination.name() + ".fields)");
        }
        HttpRequest request = HttpRequest.newBuilder(poll)
                .timeout(destination.timeout())
                .header("content-type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(requests.form(event)))
                .build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            Outcome outcome = answers.classify(eventId, response.statusCode(),
                    response.headers().firstValue("retry-after"), response.body());
            if (outcome instanceof Outcome.Wait refused) {
                // Kuaidi100 refused the account itself: an operator must fix a setting (the message names it).
                LOG.error("event {} to {}: {}; the destination waits {} min, then tries again (nothing is dead-lettered)",
                        eventId, destination.name(), refused.message(), refused.window().toMinutes());
            }
            return outcome;
        } catch (IOException e) {
            return http.classify(e);
        }
    }
}
