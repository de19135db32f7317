package com.streamloom.media.pipeline;

import com.streamloom.media.frame.VideoFrame;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Queues between threads are bounded, drop instead of growing, and count the drops. */
class BoundedQueueTest {

    @Test
    void slowConsumerMakesTheQueueDropOldestAndCountNeverGrowing() throws Exception {
        BoundedQueue<Integer> q = new BoundedQueue<>(8, BoundedQueue.LeakPolicy.DROP_OLDEST, null);
        List<Integer> consumed = new CopyOnWriteArrayList<>();
        AtomicInteger maxSize = new AtomicInteger();
        Thread consumer = new Thread(() -> {
            try {
                Integer item;
                while ((item = q.poll(1, TimeUnit.SECONDS)) != null) {
                    consumed.add(item);
                    Thread.sleep(1);       // slower than the producer
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        consumer.start();
        for (int i = 0; i < 2000; i++) {
            q.offer(i);
            maxSize.accumulateAndGet(q.size(), Math::max);
        }
        q.close();
        consumer.join(10_000);

        assertThat(maxSize.get()).isLessThanOrEqualTo(8);
        assertThat(q.dropped()).isPositive();
        assertThat(consumed.size() + q.dropped()).isEqualTo(2000);
        // Dropping the oldest keeps the newest: the last item always gets through, and order is kept.
        assertThat(consumed).contains(1999).isSorted();
    }

    @Test
    void dropNewestKeepsWhatIsQueued() {
        List<Integer> droppedItems = new ArrayList<>();
        BoundedQueue<Integer> q = new BoundedQueue<>(3, BoundedQueue.LeakPolicy.DROP_NEWEST, droppedItems::add);
        for (int i = 0; i < 10; i++) {
            q.offer(i);
        }
        assertThat(q.size()).isEqualTo(3);
        assertThat(q.dropped()).isEqualTo(7);
        assertThat(droppedItems).containsExactly(3, 4, 5, 6, 7, 8, 9);
        assertThat(List.of(q.poll(), q.poll(), q.poll())).containsExactly(0, 1, 2);
    }

    @Test
    void droppedNativeFramesAreClosedByTheCallback() {
        List<VideoFrame> all = new ArrayList<>();
        BoundedQueue<VideoFrame> q = new BoundedQueue<>(2, BoundedQueue.LeakPolicy.DROP_OLDEST, VideoFrame::close);
        for (int i = 0; i < 5; i++) {
            VideoFrame f = VideoFrame.allocate(64, 48, i);
            all.add(f);
            q.offer(f);
        }
        assertThat(all.subList(0, 3)).allMatch(VideoFrame::isClosed);
        assertThat(all.subList(3, 5)).noneMatch(VideoFrame::isClosed);
        q.clear();
        assertThat(all).allMatch(VideoFrame::isClosed);
        assertThat(q.dropped()).isEqualTo(3);
    }

    @Test
    void putWaitsForRoomInsteadOfDropping() throws Exception {
        BoundedQueue<Integer> q = new BoundedQueue<>(1, BoundedQueue.LeakPolicy.DROP_OLDEST, null);
        q.put(1);
        Thread producer = new Thread(() -> {
            try {
                q.put(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        Thread.sleep(50);
        assertThat(producer.isAlive()).isTrue();         // blocked: the queue is full
        assertThat(q.poll()).isEqualTo(1);
        producer.join(2000);
        assertThat(q.poll()).isEqualTo(2);
        assertThat(q.dropped()).isZero();
    }

    @Test
    void rejectsCapacityBelowOne() {
        assertThatThrownBy(() -> new BoundedQueue<>(0, BoundedQueue.LeakPolicy.DROP_OLDEST, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
    }

    @Test
    void aDroppedItemKeptAheadIsTakenBeforeItsSuccessors() throws Exception {
        java.util.Queue<Integer> ahead = new java.util.concurrent.ConcurrentLinkedQueue<>();
        BoundedQueue<Integer> q = new BoundedQueue<>(2, BoundedQueue.LeakPolicy.DROP_OLDEST, ahead::add);
        q.offer(1);
        q.offer(2);
        q.offer(3);                         // full: 1 is the victim, kept ahead
        assertThat(q.poll(0, TimeUnit.MILLISECONDS, ahead)).isEqualTo(1);
        assertThat(q.poll(0, TimeUnit.MILLISECONDS, ahead)).isEqualTo(2);
        assertThat(q.poll(0, TimeUnit.MILLISECONDS, ahead)).isEqualTo(3);
        assertThat(q.poll(0, TimeUnit.MILLISECONDS, ahead)).isNull();
    }

    /**
     * What StreamProcessor relies on: items that must not be lost (even numbers here, like audio and codec
     * configurations) and are dropped from a full queue are kept ahead, and the consumer still sees every one of
     * them, in the order they were offered, however the producer's drops and the consumer's takes interleave.
     */
    @Test
    void keptItemsArriveInOfferOrderUnderConcurrentDrops() throws Exception {
        for (int round = 0; round < 20; round++) {
            java.util.Queue<Integer> ahead = new java.util.concurrent.ConcurrentLinkedQueue<>();
            BoundedQueue<Integer> q = new BoundedQueue<>(4, BoundedQueue.LeakPolicy.DROP_OLDEST,
                    i -> {
                        if (i % 2 == 0) {
                            ahead.add(i);
                        }
                    });
            List<Integer> kept = new ArrayList<>();
            Thread consumer = new Thread(() -> {
                try {
                    Integer item;
                    while ((item = q.poll(1, TimeUnit.SECONDS, ahead)) != null) {
                        if (item % 2 == 0) {
                            kept.add(item);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            consumer.start();
            int n = 20_000;
            for (int i = 0; i < n; i++) {
                q.offer(i);
            }
            q.close();
            consumer.join(20_000);
            assertThat(consumer.isAlive()).isFalse();
            assertThat(kept).hasSize(n / 2).isSorted();
        }
    }
}
