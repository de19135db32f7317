package com.streamloom.media.ingest;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What a pull that keeps failing writes to the log: its first failure at once, then, while it goes on failing, one
 * summary per interval ("still failing after 12 attempts in the last 60 s: reason") instead of a line per retry
 * (a dead camera retried every few seconds would otherwise write dozens of lines a minute). When it is live again,
 * one line says after how many failed attempts. Used on the pull's thread only.
 */
final class FailureLog {
    private final Logger log;
    private final String name;
    private final long everyNanos;
    private final LongSupplier nanoTime;
    private long failures;
    private long sinceSummary;
    private long lastSummaryNanos;

    FailureLog(Logger log, String name, Duration every, LongSupplier nanoTime) {
        this.log = log;
        this.name = name;
        this.everyNanos = every.toNanos();
        this.nanoTime = nanoTime;
    }

    /** An attempt failed (or a live session ended) with {@code reason}. */
    void failed(String reason) {
        long now = nanoTime.getAsLong();
        failures++;
        if (failures == 1) {
            log.warn("pull {}: {}; retrying", name, reason);
            lastSummaryNanos = now;
            return;
        }
        sinceSummary++;
        if (now - lastSummaryNanos >= everyNanos) {
            log.warn("pull {}: still failing after {} attempts in the last {} s: {}", name, sinceSummary,
                    Math.round((now - lastSummaryNanos) / 1e9), reason);
            sinceSummary = 0;
            lastSummaryNanos = now;
        }
    }

    /** A session delivered media: the next failure is a first one again. */
    void live() {
        if (failures > 1) {
            log.info("pull {}: live after {} failed attempts", name, failures);
        } else {
            log.info("pull {}: live", name);
        }
        failures = 0;
        sinceSummary = 0;
    }
}
