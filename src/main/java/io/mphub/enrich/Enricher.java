package io.mphub.enrich;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One enrichment step of ingest: adds the hub's extension attributes to an accepted event. An enricher never
 * changes the producer's {@code data}, and never fails the event: what it cannot do, it marks.
 */
@FunctionalInterface
public interface Enricher {

    /** The step when an enricher is switched off: nothing to do, nothing to pay on the ingest path. */
    Enricher NONE = event -> { };

    void enrich(ObjectNode event);
}
