package io.mphub.deliver;

/**
 * The record was not delivered because its destination is paused (or the hub is stopping). It is neither
 * committed nor dead-lettered: the consumer goes back to it when the destination resumes.
 */
public class DestinationPausedException extends RuntimeException {

    public DestinationPausedException(String message) {
        super(message, null, false, false);
    }
}
