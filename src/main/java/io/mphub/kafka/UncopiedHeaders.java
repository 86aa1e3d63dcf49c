package io.mphub.kafka;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Keeps a Kafka record's own headers out of the Camel message a consumer makes of it; they stay on the record
 * ({@code KafkaConstants.HEADERS}), where the reader looks them up ({@link HeaderValues#text(org.apache.camel.Message,
 * String)}). camel-kafka otherwise copies every one into the message's case-insensitive map, record by record: for a
 * destination that delivers in batches (routes/templates/deliver-batch.camel.yaml) those copies and the lookups in the
 * larger map were nearly a tenth of its CPU per event (profile of 2026-11-30), and it reads two of them.
 */
public final class UncopiedHeaders implements HeaderFilterStrategy {

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }
}
