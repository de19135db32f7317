package com.streamloom.node.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * {@code GET /metrics}: the registry's Prometheus text, rendered at most once per interval on a worker thread and
 * shared by every scrape inside that interval (also those that arrive while it is being rendered), so any number
 * of scrapers costs one rendering per interval.
 */
final class MetricsEndpoint {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong renders = new AtomicLong();
    private Future<Buffer> latest;
    private long renderedAtNanos;

    MetricsEndpoint(PrometheusMeterRegistry registry, Duration interval) {
        this(registry, interval, System::nanoTime);
    }

    /** @param nanoTime the monotonic clock the interval is measured on ({@link System#nanoTime()}) */
    MetricsEndpoint(PrometheusMeterRegistry registry, Duration interval, LongSupplier nanoTime) {
        this.registry = registry;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The text of this interval; starts a rendering when the last one is older than the interval or failed. */
    synchronized Future<Buffer> text(Vertx vertx) {
        long now = nanoTime.getAsLong();
        boolean stale = latest == null || latest.failed() || (latest.isComplete()
                && now - renderedAtNanos >= intervalNanos);
        if (stale) {
            renderedAtNanos = now;
            latest = vertx.executeBlocking(() -> {
                renders.incrementAndGet();
                return Buffer.buffer(registry.scrape());
            }, false);
        }
        return latest;
    }

    /** How many times the text was rendered. */
    long renders() {
        return renders.get();
    }
}
