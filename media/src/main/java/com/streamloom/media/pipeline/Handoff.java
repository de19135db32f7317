package com.streamloom.media.pipeline;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A bounded queue from one pipeline thread to the next, in order (GStreamer's queue element: a size bound and a leak
 * policy). Live: a full queue drops its oldest item, and the drop callback decides, under the queue's lock, whether
 * the item must survive (a config packet, audio, an end-of-source marker): such an item is rescued and taken before
 * the next queued item, i.e. in its original order; anything else is gone (a frame is closed and counted by the
 * callback). Offline ({@code blockWhenFull}): the sender waits for room instead. The rescued items are bounded too
 * ({@code rescueCapacity}): a next thread that stalls while audio or configurations keep coming would otherwise
 * collect them without end; past the bound the oldest rescued item is given up and counted ({@link #rescueDrops()}).
 */
final class Handoff<T> {
    private final BoundedQueue<T> queue;
    private final ConcurrentLinkedQueue<T> rescued = new ConcurrentLinkedQueue<>();
    private final boolean blockWhenFull;
    private final Predicate<T> rescue;
    private final int rescueCapacity;
    private final AtomicLong rescueDrops = new AtomicLong();

    /**
     * @param rescue         told of each dropped item under the queue's lock; true keeps it for the next take
     * @param rescueCapacity most rescued items waiting at once
     */
    Handoff(int capacity, int rescueCapacity, boolean blockWhenFull, Predicate<T> rescue) {
        if (rescueCapacity < 1) {
            throw new IllegalArgumentException("rescue capacity must be positive, got " + rescueCapacity);
        }
        this.blockWhenFull = blockWhenFull;
        this.rescue = rescue;
        this.rescueCapacity = rescueCapacity;
        this.queue = new BoundedQueue<>(capacity, BoundedQueue.LeakPolicy.DROP_OLDEST, this::dropped);
    }

    /** An item that will not be handled as sent: rescued or given up, as the drop callback says. */
    void dropped(T item) {
        if (rescue.test(item)) {
            rescued.add(item);
            while (rescued.size() > rescueCapacity && rescued.poll() != null) {
                rescueDrops.incrementAndGet();
            }
        }
    }

    /**
     * Live: never waits (a full queue drops by its policy). Offline: waits for room. Returns false if the item was
     * not queued because the waiting thread was interrupted.
     */
    boolean offer(T item) {
        if (!blockWhenFull) {
            queue.offer(item);
            return true;
        }
        try {
            queue.put(item);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Sends an item; one that could not be queued goes to the drop callback. */
    void send(T item) {
        if (!offer(item)) {
            dropped(item);
        }
    }

    /** The next item (rescued ones first), or null after 50 ms without one. */
    T take() throws InterruptedException {
        return queue.poll(50, TimeUnit.MILLISECONDS, rescued);
    }

    boolean isEmpty() {
        return queue.size() == 0 && rescued.isEmpty();
    }

    int size() {
        return queue.size();
    }

    int capacity() {
        return queue.capacity();
    }

    /** Items the queue dropped because the next thread fell behind. */
    long drops() {
        return queue.dropped();
    }

    /** Rescued items given up because more than {@code rescueCapacity} waited. */
    long rescueDrops() {
        return rescueDrops.get();
    }

    /** Refuses further items; queued ones can still be taken. */
    void close() {
        queue.close();
    }

    /** Removes every queued item through the drop callback. */
    void clear() {
        queue.clear();
    }
}
