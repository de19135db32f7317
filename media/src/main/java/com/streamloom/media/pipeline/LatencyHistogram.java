package com.streamloom.media.pipeline;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed-size histogram of durations for percentiles (p50, p99) without keeping samples: 0.1 ms buckets up to
 * 100 ms (where the latency budget lives), 1 ms buckets up to 10 s, and one overflow bucket. Reported values are
 * bucket upper bounds, so a percentile is exact to the bucket width. Thread-safe: one thread records, any reads.
 */
public final class LatencyHistogram {
    private static final long FINE_WIDTH_US = 100;
    private static final int FINE_BUCKETS = 1000;          // 0 .. 100 ms
    private static final long COARSE_WIDTH_US = 1000;
    private static final int COARSE_BUCKETS = 9900;        // 100 ms .. 10 s
    private static final int BUCKETS = FINE_BUCKETS + COARSE_BUCKETS + 1;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder total = new LongAdder();
    private final LongAdder sumMicros = new LongAdder();

    public void recordNanos(long nanos) {
        long us = Math.max(0, nanos / 1000);
        int index;
        if (us < FINE_WIDTH_US * FINE_BUCKETS) {
            index = (int) (us / FINE_WIDTH_US);
        } else {
            long coarse = (us - FINE_WIDTH_US * FINE_BUCKETS) / COARSE_WIDTH_US;
            index = (int) Math.min(FINE_BUCKETS + coarse, BUCKETS - 1);
        }
        counts.incrementAndGet(index);
        total.increment();
        sumMicros.add(us);
    }

    public long count() {
        return total.sum();
    }

    public double meanMillis() {
        long n = total.sum();
        return n == 0 ? 0 : sumMicros.sum() / 1000.0 / n;
    }

    /** The duration in milliseconds below which {@code quantile} (0..1) of the samples fall; 0 if empty. */
    public double percentileMillis(double quantile) {
        long n = 0;
        long[] snapshot = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            n += snapshot[i];
        }
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return upperBoundMicros(i) / 1000.0;
            }
        }
        return upperBoundMicros(BUCKETS - 1) / 1000.0;
    }

    private static long upperBoundMicros(int index) {
        if (index < FINE_BUCKETS) {
            return (index + 1) * FINE_WIDTH_US;
        }
        if (index < BUCKETS - 1) {
            return FINE_WIDTH_US * FINE_BUCKETS + (index - FINE_BUCKETS + 1) * COARSE_WIDTH_US;
        }
        return Long.MAX_VALUE / 1000;
    }

    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
        total.reset();
        sumMicros.reset();
    }
}
