package com.streamloom.control;

import org.jboss.logmanager.ExtLogRecord;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Every log message of the running application, formatted as written, for asserting what is never logged. */
public final class LogCapture extends Handler {
    private final List<String> messages = new CopyOnWriteArrayList<>();

    public static LogCapture install() {
        LogCapture c = new LogCapture();
        Logger.getLogger("").addHandler(c);
        return c;
    }

    public void uninstall() {
        Logger.getLogger("").removeHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        String text = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        messages.add(record.getLoggerName() + " " + text + (record.getThrown() == null ? "" : " " + record.getThrown()));
    }

    public List<String> messages() {
        return messages;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
