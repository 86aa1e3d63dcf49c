package io.mphub.kafka;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;

/** What the hub's transactional producers share ({@link JobLedger}, {@link CallbackLedger}). */
final class Transactions {

    private Transactions() {
    }

    /** The fencing behind {@code e} (a later producer took the transactional id), or null when it is another failure. */
    static KafkaException fencing(Throwable e) {
        for (Throwable t : new Throwable[] {e, e.getCause()}) { // Kafka wraps it once at most
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return (KafkaException) t;
            }
        }
        return null;
    }

    /** Aborts the open transaction; a producer that cannot leaves it to the broker, at the transaction's timeout. */
    static void abort(Producer<?, ?> producer) {
        try {
            producer.abortTransaction();
        } catch (RuntimeException unusable) {
            // the broker aborts it at its timeout
        }
    }
}
