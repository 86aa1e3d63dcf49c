package io.mphub.deliver;

import org.apache.camel.Exchange;

/** Where a record a destination will not take goes: its dead-letter topic, written before its offset is committed. */
public interface DeadLetterSink {

    /**
     * @param record the original record as it was read from {@code mp.out.<destination>}
     * @param why    its reason and message ({@link UndeliverableException#reason()})
     */
    void undeliverable(Exchange record, String destination, UndeliverableException why);
}
