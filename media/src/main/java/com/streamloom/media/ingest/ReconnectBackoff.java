package com.streamloom.media.ingest;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential back-off between reconnect attempts: the first delay is {@code initial}, each further failure doubles
 * it up to {@code max}, and a random jitter takes off up to a quarter so that many pulls that lost the same camera
 * or origin do not reconnect in lock step. {@link #reset()} after a healthy session starts over.
 */
public final class ReconnectBackoff {
    private final long initialNanos;
    private final long maxNanos;
    private final DoubleSupplier random;
    private int failures;

    public ReconnectBackoff(Duration initial, Duration max, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("back-off needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
    }

    /** The delay before the next attempt; every call counts one more failure. */
    public Duration next() {
        long delay = initialNanos;
        for (int k = 0; k < failures && delay < maxNanos; k++) {
            delay *= 2;
        }
        delay = Math.min(delay, maxNanos);
        failures++;
        double jitter = 1.0 - 0.25 * random.getAsDouble();
        return Duration.ofNanos((long) (delay * jitter));
    }

    public void reset() {
        failures = 0;
    }
}
