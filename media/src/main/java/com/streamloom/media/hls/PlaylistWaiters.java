package com.streamloom.media.hls;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * LL-HLS blocking playlist reloads and preload-hinted part requests (draft-pantos-hls-rfc8216bis 6.2.5.2) waiting
 * for a segment or part: each is a future that completes with the first snapshot that contains it, so the HTTP
 * layer answers asynchronously and no thread blocks. At most {@link #MAX_WAITERS} wait at once; a future its
 * requester cancelled (a timeout) is dropped at the next publication. Guarded by the packager's lock.
 */
final class PlaylistWaiters {
    static final int MAX_WAITERS = 10_000;

    private final List<Waiter> waiters = new ArrayList<>();
    private boolean closed;

    private record Waiter(long msn, int part, CompletableFuture<PlaylistSnapshot> future) {
    }

    /**
     * A future for segment {@code msn} (or that part of it, {@code part >= 0}), completed at once if
     * {@code current} has it. Throws IllegalArgumentException for an msn more than two segments ahead, which the
     * spec answers with 400.
     */
    CompletableFuture<PlaylistSnapshot> await(PlaylistSnapshot current, long msn, int part) {
        if (current.contains(msn, part)) {
            return CompletableFuture.completedFuture(current);
        }
        if (msn > current.nextSequence() + 2) {
            throw new IllegalArgumentException("_HLS_msn " + msn + " is more than two segments ahead of "
                    + current.nextSequence());
        }
        if (waiters.size() >= MAX_WAITERS) {
            waiters.removeIf(w -> w.future.isDone());
        }
        if (closed || waiters.size() >= MAX_WAITERS) {
            return CompletableFuture.failedFuture(new IllegalStateException(closed ? "stream closed"
                    : "too many blocked playlist requests"));
        }
        Waiter waiter = new Waiter(msn, part, new CompletableFuture<>());
        waiters.add(waiter);
        return waiter.future;
    }

    /** Completes every waiter that {@code snapshot} satisfies. */
    void published(PlaylistSnapshot snapshot) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (waiter.future.isDone()) {
                it.remove();
            } else if (snapshot.contains(waiter.msn, waiter.part)) {
                it.remove();
                waiter.future.complete(snapshot);
            }
        }
    }

    /** The stream closed: every waiter fails, and so does every later request. */
    void close(String stream) {
        closed = true;
        for (Waiter waiter : waiters) {
            waiter.future.completeExceptionally(new IllegalStateException("stream " + stream + " closed"));
        }
        waiters.clear();
    }
}
