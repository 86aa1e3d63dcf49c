package io.mphub.kafka;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Marker;

/**
 * Keeps Kafka's producer from logging as an error the fencing the hub does on purpose: a callback publish that another
 * replica's publish of the same partition fenced ({@link CallbackLedger}), a job run fenced by a later run
 * ({@link JobLedger}), or a replay fenced by the replay that took it over. Each is retried or reported by the hub
 * itself; any other producer's fatal error is logged as before. Registered in logback.xml (and the tests'
 * logback-test.xml).
 */
public final class ExpectedFencing extends TurboFilter {

    private static final String SENDER = "org.apache.kafka.clients.producer.internals.Sender";
    /** The transactional ids the hub fences on purpose, by prefix. */
    private static final List<String> FENCED_ON_PURPOSE = List.of("mphub-callbacks-", "mphub.replay.", "mphub-job-");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == Level.ERROR && SENDER.equals(logger.getName()) && format != null
                && FENCED_ON_PURPOSE.stream().anyMatch(id -> format.contains("transactionalId=" + id))
                && fencing(params, t)) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }

    /** Kafka's Sender logs the fatal error as the last argument ("Aborting producer batches due to fatal error"). */
    private static boolean fencing(Object[] params, Throwable t) {
        Object error = t != null ? t : params != null && params.length > 0 ? params[params.length - 1] : null;
        return error instanceof ProducerFencedException || error instanceof InvalidProducerEpochException;
    }
}
