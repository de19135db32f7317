package com.streamloom.control;

import org.jboss.logmanager.ExtLogRecord;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The records one logger publishes while this is open, caught in process by a handler on that logger (the test log
 * file starts afresh whenever Quarkus restarts the application, so it may have lost a line by the time a test reads
 * it; this handler never does).
 */
final class CapturedLog extends Handler implements AutoCloseable {
    /** A record as a person reads it: its level and its formatted message. */
    record Line(Level level, String message) {
    }

    private final Logger logger;
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private CapturedLog(Logger logger) {
        this.logger = logger;
    }

    /** Starts catching what {@code source}'s logger (named after the class, as JBoss Logging names it) says. */
    static CapturedLog of(Class<?> source) {
        CapturedLog log = new CapturedLog(Logger.getLogger(source.getName()));
        log.logger.addHandler(log);
        return log;
    }

    /** The lines caught so far that contain {@code text}. */
    List<Line> containing(String text) {
        return lines.stream().filter(l -> l.message().contains(text)).toList();
    }

    @Override
    public void publish(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage()
                : new java.util.logging.SimpleFormatter().formatMessage(record);
        lines.add(new Line(record.getLevel(), message));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
