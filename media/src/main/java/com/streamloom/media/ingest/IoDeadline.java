package com.streamloom.media.ingest;

import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The deadline of a pull's current FFmpeg call. No FFmpeg call can block the pull's thread for longer than its
 * timeout, because an interrupt callback (AVIOInterruptCB, polled by every FFmpeg protocol while it waits) aborts the
 * call when the deadline passes or the pull is stopped. Owned by one pull for its life.
 */
final class IoDeadline implements AutoCloseable {
    private static final Map<Long, IoDeadline> BY_TOKEN = new ConcurrentHashMap<>();
    /**
     * One callback for all pulls: JavaCPP has a small fixed number of native thunks per callback class, so the pull
     * is found through the opaque pointer instead of allocating a callback per pull.
     */
    private static final InterruptCallback INTERRUPT = new InterruptCallback();

    private final LongPointer token = new LongPointer(1);
    private final BooleanSupplier stopped;
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private volatile String phase = "connecting";
    private volatile Duration timeout = Duration.ZERO;

    /** @param stopped true once the pull is stopped: every call is aborted from then on */
    IoDeadline(BooleanSupplier stopped) {
        this.stopped = stopped;
        BY_TOKEN.put(token.address(), this);
    }

    /** Lets this deadline interrupt the calls on {@code ctx}. */
    void attach(AVFormatContext ctx) {
        AVIOInterruptCB cb = ctx.interrupt_callback();
        cb.callback(INTERRUPT);
        cb.opaque(token);
    }

    /** The next call, named {@code phase} in messages, may take up to {@code limit}. */
    void start(Duration limit, String phase) {
        this.phase = phase;
        this.timeout = limit;
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
    }

    /** No call is running. */
    void clear() {
        deadlineNanos = Long.MAX_VALUE;
    }

    /** What the current or last call was doing ("connecting", "probing streams", "reading"). */
    String phase() {
        return phase;
    }

    /** The limit of the current or last call. */
    Duration timeout() {
        return timeout;
    }

    /** The deadline of the current call has passed (and the pull was not stopped). */
    boolean passed() {
        return !stopped.getAsBoolean() && System.nanoTime() - deadlineNanos >= 0;
    }

    private boolean shouldAbort() {
        return stopped.getAsBoolean() || System.nanoTime() - deadlineNanos > 0;
    }

    @Override
    public void close() {
        BY_TOKEN.remove(token.address());
        token.close();
    }

    private static final class InterruptCallback extends AVIOInterruptCB.Callback_Pointer {
        @Override
        public int call(Pointer opaque) {
            try {
                IoDeadline deadline = opaque == null ? null : BY_TOKEN.get(opaque.address());
                return deadline == null || deadline.shouldAbort() ? 1 : 0;
            } catch (Throwable t) {
                return 1; // never let an exception cross into native code
            }
        }
    }
}
