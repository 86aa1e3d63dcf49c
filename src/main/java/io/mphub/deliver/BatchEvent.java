package io.mphub.deliver;

import java.io.ByteArrayOutputStream;
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
        int size = 2;
        for (BatchEvent event : batch) {
            size += event.body().length + 1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.write('[');
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(batch.get(i).body());
        }
        out.write(']');
        return out.toByteArray();
    }
}
