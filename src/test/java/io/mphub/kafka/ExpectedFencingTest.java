package io.mphub.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class ExpectedFencingTest {

    @Test
    void onlyTheHubsOwnFencedProducersAreKeptOutOfTheErrors() {
        LoggerContext context = new LoggerContext();
        context.addTurboFilter(new ExpectedFencing());
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.setContext(context);
        logged.start();
        Logger sender = context.getLogger("org.apache.kafka.clients.producer.internals.Sender");
        sender.addAppender(logged);
        String fatal = "Aborting producer batches due to fatal error";

        sender.error("[Producer clientId=mphub-callbacks-3, transactionalId=mphub-callbacks-3] " + fatal,
                new ProducerFencedException("fenced"));
        sender.error("[Producer clientId=mphub-replay, transactionalId=mphub.replay.kill-1] " + fatal,
                new ProducerFencedException("fenced"));
        sender.error("[Producer clientId=mphub-callbacks-3, transactionalId=mphub-callbacks-3] " + fatal,
                new TopicAuthorizationException("denied"));
        sender.error("[Producer clientId=mphub-job-x, transactionalId=mphub-job-x] " + fatal,
                new ProducerFencedException("fenced"));
        sender.error("[Producer clientId=another, transactionalId=another-app] " + fatal,
                new ProducerFencedException("fenced"));

        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("[Producer clientId=mphub-callbacks-3, transactionalId=mphub-callbacks-3] " + fatal,
                        "[Producer clientId=another, transactionalId=another-app] " + fatal);
    }
}
