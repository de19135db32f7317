package com.streamloom.media.rtmp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all connections of a server together hold in unfinished messages ([rtmp.max-node-buffer-bytes]).
 * Decoders on every event loop reserve as their partial messages grow and release when a message completes, is
 * aborted or abandoned, or the connection closes, so {@link #reserved()} returns to zero when no message is held.
 */
public final class BufferBudget {
    private final long max;
    private final AtomicLong reserved = new AtomicLong();

    public BufferBudget(long max) {
        this.max = max;
    }

    /** Reserves {@code bytes} if they fit in the budget; false, reserving nothing, if not. */
    boolean tryReserve(long bytes) {
        long now;
        do {
            now = reserved.get();
            if (now + bytes > max) {
                return false;
            }
        } while (!reserved.compareAndSet(now, now + bytes));
        return true;
    }

    /**
     * Reserves {@code bytes} whether or not they fit: an accepted publisher's messages are counted, so the budget
     * shows what is held, but never refused by it, so an attack on the budget cannot cut a live stream.
     */
    void reserve(long bytes) {
        reserved.addAndGet(bytes);
    }

    void release(long bytes) {
        reserved.addAndGet(-bytes);
    }

    public long reserved() {
        return reserved.get();
    }

    public long max() {
        return max;
    }
}
