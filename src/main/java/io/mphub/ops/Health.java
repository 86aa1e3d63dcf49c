package io.mphub.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Whether the hub lives, and whether it is ready to do its job (see {@link HubHealth}). */
public interface Health {

    /** The report: ready or not, and why, as JSON. */
    record Report(boolean ready, ObjectNode json) {
    }

    boolean live();

    Report readiness();
}
