package io.mphub.provider.kuaidi100;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.deliver.Destination;
import io.mphub.deliver.Kind;
import io.mphub.deliver.Outcome;
import io.mphub.provider.Endpoints;
import io.mphub.provider.OutgoingEvent;
import io.mphub.provider.ProviderCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kind {@code kuaidi100}: a shipped order becomes a Kuaidi100 tracking subscription ({@code POST <url>/poll}),
 * whose pushes come back to {@link Kuaidi100Callback} and are published as {@code mp.logistics.updated}. Other event
 * types are skipped: Kuaidi100 has nothing to do with them.
 */
public final class Kuaidi100Kind implements Kind {

    public static final String NAME = "kuaidi100";
    public static final String SHIPPED = "mp.order.shipped";
    private static final Logger LOG = LoggerFactory.getLogger(Kuaidi100Kind.class);

    private final Destination destination;
    private final URI poll;
    private final SubscribeRequests requests;
    private final Kuaidi100Answers answers;
    private final ProviderCall call;
    private final ObjectMapper mapper;

    Kuaidi100Kind(Destination destination, SubscribeRequests requests, Kuaidi100Answers answers, ProviderCall call,
            ObjectMapper mapper) {
        this.destination = destination;
        this.poll = Endpoints.under(destination.url(), "/poll");
        this.requests = requests;
        this.answers = answers;
        this.call = call;
        this.mapper = mapper;
    }

    @Override
    public Outcome attempt(HttpClient client, String eventId, byte[] bytes) throws InterruptedException {
        return OutgoingEvent.readThen(mapper, bytes, event -> subscribe(client, eventId, event));
    }

    private Outcome subscribe(HttpClient client, String eventId, OutgoingEvent event) throws InterruptedException {
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
        return call.call(client, request, response -> answers.classify(eventId, response.statusCode(),
                response.headers().firstValue("retry-after"), response.body()));
    }
}
