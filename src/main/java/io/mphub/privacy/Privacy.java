package io.mphub.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mphub.kafka.FollowedTopic;

/**
 * Judges one event for one destination before anything is sent: the destination's data contract applied
 * ({@link DataContract}), and, when the destination needs a consent scope, the user's consent ({@link ConsentStore}).
 */
public final class Privacy {

    /** What a destination may be sent of an event. */
    public sealed interface Judged {
        DataContract.Shared shared();
    }

    /** Send {@code shared.body()}. */
    public record Send(DataContract.Shared shared) implements Judged {
    }

    /** Send nothing: the user has not granted {@code scope} ({@code reason}: withdrawn, no_consent). */
    public record Withhold(DataContract.Shared shared, String scope, String reason) implements Judged {
    }

    private final ObjectMapper mapper;
    private final ConsentStore consent;

    public Privacy(ObjectMapper mapper, ConsentStore consent) {
        this.mapper = mapper;
        this.consent = consent;
    }

    /** A moment to judge by ({@link #judge}): monotonic, this JVM's own, not the hub's business clock. */
    public static long now() {
        return FollowedTopic.now();
    }

    /**
     * @param asOf the moment the request is formed ({@link #now()}): the event is judged by every consent decision
     *             recorded before then, on any replica. Events judged together (a batch) share one.
     */
    public Judged judge(DataContract contract, byte[] event, long asOf) {
        DataContract.Shared shared = contract.apply(mapper, event);
        if (contract.consent().isEmpty() || shared.user().isEmpty() || shared.appId().isEmpty()) {
            return new Send(shared); // an event about no user (WeChat's daily analysis) needs no one's consent
        }
        String scope = contract.consent().get();
        return switch (consent.decide(shared.appId(), shared.user(), scope, asOf)) {
            case GRANTED -> new Send(shared);
            case WITHDRAWN -> new Withhold(shared.unsent(), scope, Audit.WITHDRAWN);
            case NO_RECORD -> contract.deliverWithoutRecord() ? new Send(shared)
                    : new Withhold(shared.unsent(), scope, Audit.NO_CONSENT);
        };
    }
}
