package com.streamloom.media.pipeline;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A queue between two threads with a fixed capacity and an explicit leak policy, after GStreamer's {@code queue}
 * element ({@code max-size-buffers}, {@code leaky=upstream|downstream}): when the consumer falls behind, items are
 * dropped and counted instead of piling up, so latency and memory stay bounded (ARCHITECTURE "Latency is
 * budgeted"). A dropped item is handed to the {@code onDrop} callback, which closes native items (a
 * {@code VideoFrame}) so nothing leaks. The callback runs while the queue is locked (see {@link #offer}): it must
 * be short and must not touch the queue.
 *
 * <p>{@link #offer} never blocks (network and decode threads call it); {@link #put} blocks until there is room and
 * is meant for offline sources (files, benchmarks) where every item must be processed.
 */
public final class BoundedQueue<T> {

    /** Which item is given up when the queue is full. */
    public enum LeakPolicy {
        /** Drop the item that waited longest: live video wants the freshest picture (GStreamer leaky=downstream). */
        DROP_OLDEST,
        /** Refuse the new item, keeping what is queued (GStreamer leaky=upstream). */
        DROP_NEWEST
    }

    private final ArrayDeque<T> items;
    private final int capacity;
    private final LeakPolicy policy;
    private final Consumer<? super T> onDrop;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder offered = new LongAdder();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private boolean closed;

    public BoundedQueue(int capacity, LeakPolicy policy, Consumer<? super T> onDrop) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.onDrop = onDrop == null ? t -> { } : onDrop;
        this.items = new ArrayDeque<>(capacity);
    }

    /**
     * Adds an item without blocking. If the queue is full, one item (the oldest or this one, by policy) is dropped,
     * counted and given to the drop callback. Returns false if {@code item} itself was not queued (dropped because
     * of the policy or because the queue is closed).
     */
    public boolean offer(T item) {
        Objects.requireNonNull(item, "item");
        lock.lock();
        try {
            offered.increment();
            if (!closed && items.size() < capacity) {
                items.addLast(item);
                notEmpty.signal();
                return true;
            }
            dropped.increment();
            if (!closed && policy == LeakPolicy.DROP_OLDEST) {
                // Under the lock, so the consumer cannot take the item after the victim before the callback has
                // seen the victim (StreamProcessor rescues dropped config packets that way).
                onDrop.accept(items.pollFirst());
                items.addLast(item);
                return true;
            }
            onDrop.accept(item);
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Adds an item, waiting for room (no drop). Returns false, dropping the item, if the queue is closed. */
    public boolean put(T item) throws InterruptedException {
        Objects.requireNonNull(item, "item");
        lock.lockInterruptibly();
        try {
            offered.increment();
            while (items.size() >= capacity && !closed) {
                notFull.await();
            }
            if (!closed) {
                items.addLast(item);
                notEmpty.signal();
                return true;
            }
        } finally {
            lock.unlock();
        }
        onDrop.accept(item);
        return false;
    }

    /** Takes the oldest item, waiting up to the timeout; null on timeout or when closed and empty. */
    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (items.isEmpty()) {
                if (closed || nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            T item = items.pollFirst();
            notFull.signal();
            return item;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Like {@link #poll(long, TimeUnit)}, but takes from {@code ahead} first, under this queue's lock. A drop
     * callback runs under the same lock, so an item it moves to {@code ahead} (a victim that must not be lost, e.g. a
     * codec configuration) is always taken before anything queued after it: checking {@code ahead} and then polling
     * outside the lock could take the victim's successor first.
     */
    public T poll(long timeout, TimeUnit unit, java.util.Queue<? extends T> ahead) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (items.isEmpty() && ahead.isEmpty()) {
                if (closed || nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            T kept = ahead.poll();
            if (kept != null) {
                return kept;
            }
            T item = items.pollFirst();
            notFull.signal();
            return item;
        } finally {
            lock.unlock();
        }
    }

    /** Takes the oldest item if there is one, without waiting. */
    public T poll() {
        lock.lock();
        try {
            T item = items.pollFirst();
            if (item != null) {
                notFull.signal();
            }
            return item;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further items and wakes waiting threads; items already queued can still be taken. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Removes every queued item, handing each to the drop callback (not counted as a drop: nothing fell behind). */
    public void clear() {
        ArrayDeque<T> removed;
        lock.lock();
        try {
            removed = new ArrayDeque<>(items);
            items.clear();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        removed.forEach(onDrop);
    }

    public int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    public int capacity() {
        return capacity;
    }

    public LeakPolicy policy() {
        return policy;
    }

    /** Items dropped because the queue was full (or closed) since creation. */
    public long dropped() {
        return dropped.sum();
    }

    /** Items offered or put since creation. */
    public long offered() {
        return offered.sum();
    }
}
