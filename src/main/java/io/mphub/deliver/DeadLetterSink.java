package io.mphub.deliver;

import org.apache.camel.Exchange;

/**
 * Where a record a destination will not take goes: its dead-letter topic, written before its offset is committed.
 * (Not called undeliverable: route files call DeadLetters' one-argument method by that name, and Camel's bean binding
 * must find one method by it.)
 */
public interface DeadLetterSink {

    /**
     * @param record the original record as it was read from {@code mp.out.<destination>}
     * @param why    its reason and message ({@link UndeliverableException#reason()})
     */
    void deadLetter(Exchange record, String destination, UndeliverableException why);
}
