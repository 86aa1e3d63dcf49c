package io.mphub.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Every log line of the hub's own code (io.mphub, from DEBUG up) and every warning of the libraries while open, as
 * the operator would read them, with stack traces: tests assert that no secret or token ever shows.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final Logger root;
    private final Logger hub;
    private final Level hubLevel;

    private LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        hub = context.getLogger("io.mphub");
        hubLevel = hub.getLevel();
        setContext(context);
        start();
        hub.setLevel(Level.DEBUG);
        root.addAppender(this);
    }

    public static LogCapture open() {
        return new LogCapture();
    }

    @Override
    protected void append(ILoggingEvent event) {
        String line = event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage();
        if (event.getThrowableProxy() != null) {
            line += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
        }
        lines.add(line);
        events.add(event);
    }

    /** Each event as logged, with its level and any exception. */
    public List<ILoggingEvent> events() {
        return List.copyOf(events);
    }

    /** Each message as logged (formatted, without level, logger or stack trace). */
    public List<String> messages() {
        return events.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** The messages logged at ERROR. */
    public List<String> errors() {
        return atLeast(Level.ERROR);
    }

    /** The messages logged at {@code level} or above. */
    public List<String> atLeast(Level level) {
        return events.stream().filter(e -> e.getLevel().isGreaterOrEqual(level))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public String text() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        root.detachAppender(this);
        hub.setLevel(hubLevel);
        stop();
    }
}
