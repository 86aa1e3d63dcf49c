package io.mphub.deliver;

/**
 * The most a platform takes in one request; also the defaults of a destination's batch settings.
 *
 * @param maxEvents     events per request
 * @param maxBytes      bytes per request: the events as the kind encodes them ({@link BatchKind#encode})
 * @param maxEventBytes bytes of one event: a larger one is dead-lettered at once ({@code too_large})
 */
public record BatchLimits(int maxEvents, long maxBytes, long maxEventBytes) {

    public BatchLimits {
        if (maxEvents < 1 || maxBytes < 1 || maxEventBytes < 1 || maxEventBytes > maxBytes) {
            throw new IllegalArgumentException("batch limits must be positive, one event at most a batch: " + maxEvents
                    + " events, " + maxBytes + " bytes, " + maxEventBytes + " bytes per event");
        }
    }
}
