package io.mphub.deliver;

/**
 * One event of a batch.
 *
 * @param id   the CloudEvent id: the dedup key the platform sees, on every attempt
 * @param type the CloudEvent type
 * @param body the structured CloudEvent (JSON), after the destination's data contract
 */
public record BatchEvent(String id, String type, byte[] body) {
}
