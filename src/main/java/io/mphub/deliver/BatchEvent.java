package io.mphub.deliver;

import java.util.List;

/**
 * One event of a batch.
 *
 * @param id   the CloudEvent id: the dedup key the platform sees, on every attempt
 * @param type the CloudEvent type
 * @param body the structured CloudEvent (JSON), after the destination's data contract
 */
public record BatchEvent(String id, String type, byte[] body) {

    /** The events' bodies, unparsed, as one JSON array (each body one JSON value, as the kinds encode them). */
    public static byte[] jsonArray(List<BatchEvent> batch) {
        int size = batch.isEmpty() ? 2 : 1 + batch.size(); // brackets and the commas between
        for (BatchEvent event : batch) {
            size += event.body().length;
        }
        byte[] array = new byte[size];
        array[0] = '[';
        int at = 1;
        for (int i = 0; i < batch.size(); i++) {
            BatchEvent event = batch.get(i);
            if (i > 0) {
                array[at++] = ',';
            }
            System.arraycopy(event.body(), 0, array, at, event.body().length);
            at += event.body().length;
        }
        array[at] = ']';
        return array;
    }
}
