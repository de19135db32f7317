package com.streamloom.media.pipeline;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters every stage keeps: frames in, out, dropped, total and last time spent. Thread-safe to read. */
public final class StageStats {
    private final LongAdder in = new LongAdder();
    private final LongAdder out = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final AtomicLong lastNanos = new AtomicLong();

    void record(long elapsedNanos, boolean passed) {
        in.increment();
        if (passed) {
            out.increment();
        }
        nanos.add(elapsedNanos);
        lastNanos.set(elapsedNanos);
    }

    public long framesIn() {
        return in.sum();
    }

    public long framesOut() {
        return out.sum();
    }

    public long framesDropped() {
        return in.sum() - out.sum();
    }

    public long totalNanos() {
        return nanos.sum();
    }

    public long lastNanos() {
        return lastNanos.get();
    }

    public double meanMillis() {
        long n = in.sum();
        return n == 0 ? 0 : nanos.sum() / 1e6 / n;
    }
}
