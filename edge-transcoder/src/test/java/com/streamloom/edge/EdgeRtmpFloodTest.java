package com.streamloom.edge;

import com.streamloom.media.rtmp.RawRtmpSocket;
import com.streamloom.media.rtmp.RtmpMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Invariant: RTMP floods against a running edge (idle connections past the total limit, stalled handshakes, partial
 * 4 MiB messages past the node budget, pings never read) are closed and counted as the limits say, while a good
 * stream keeps playing, memory stays bounded ({@link FloodedEdge}) and a new publisher still goes live.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeRtmpFloodTest {
    /** The edge's handshake timeout (5 s) and publish deadline (10 s), with room for a loaded machine. */
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(40);
    private static final int MAX_MESSAGE = 4 << 20;
    private static final int CHUNK = 64 << 10;

    private FloodedEdge edge;

    @BeforeAll
    void start() throws Exception {
        edge = FloodedEdge.start("");
    }

    @AfterAll
    void stop() {
        if (edge != null) {
            edge.close();
        }
    }

    @Test
    void twoThousandIdleConnectionsArePartlyRefusedByTheTotalLimitAndAllClosed() throws Exception {
        double refusedBefore = edge.rejected("connections");
        long before = edge.sequence();
        List<RawRtmpSocket> flood = new ArrayList<>();
        try {
            // opened from 16 threads at once, well within the 5 s handshake timeout that frees admitted slots
            flood.addAll(openAtOnce(2000));
            int refusable = flood.size() - 999;                    // the publisher holds one of the 1000 slots
            edge.awaitSequence(before);                            // the good stream plays during the flood
            await().atMost(CLOSED_WITHIN).until(() -> edge.rejected("connections") - refusedBefore >= refusable);
            assertAllClosedByTheEdge(flood);                       // the admitted ones at the handshake timeout
        } finally {
            closeAll(flood);
        }
        assertThat(flood.size()).as("connected (the rest found the kernel's accept queue full)")
                .isGreaterThan(1500);
        survived("2,000 idle connections");
    }

    @Test
    void twoHundredHandshakesStalledHalfWayAreClosedAtTheHandshakeTimeout() throws Exception {
        long before = edge.sequence();
        List<RawRtmpSocket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                RawRtmpSocket s = RawRtmpSocket.connect(FloodedEdge.source(i), edge.rtmpPort, 0);
                flood.add(s);
                s.sendRaw(halfC0C1());                             // C0 and half of C1, then nothing
            }
            edge.awaitSequence(before);
            assertAllClosedByTheEdge(flood);
        } finally {
            closeAll(flood);
        }
        survived("200 stalled handshakes");
    }

    @Test
    void aHundredPartialFourMebibyteMessagesAreHeldWithinTheNodeBudget() throws Exception {
        double overBudgetBefore = edge.rejected("node-buffer");
        long before = edge.sequence();
        // just under rtmp.max-message-bytes, all but the last chunk: 100 of them are past the 256 MiB node budget.
        // In 64 KiB chunks (after a Set Chunk Size), so the edge takes them in well within the publish deadline.
        byte[] partial = RawRtmpSocket.partialMessage(4, MAX_MESSAGE - 1, MAX_MESSAGE - CHUNK, CHUNK);
        List<RawRtmpSocket> flood = new CopyOnWriteArrayList<>();
        AtomicInteger closedWhileSending = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(16);  // at once, within the 10 s publish deadline
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String from = FloodedEdge.source(i);
                sent.add(senders.submit(() -> {
                    RawRtmpSocket s = RawRtmpSocket.connect(from, edge.rtmpPort, 0);
                    flood.add(s);
                    try {
                        s.handshake().send(RtmpMessage.setChunkSize(CHUNK));
                        s.sendRaw(partial);
                    } catch (IOException e) {
                        closedWhileSending.incrementAndGet();       // closed part way: the node budget was spent
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            edge.assertResidentBounded("100 partial 4 MiB messages, at the peak");
            assertThat(edge.metric("streamloom_rtmp_buffered_bytes")).isLessThanOrEqualTo(256L << 20);
            edge.awaitSequence(before);
            // closed by the node budget or the publish deadline (10 s), whichever comes first on this machine
            assertAllClosedByTheEdge(flood);
        } finally {
            senders.shutdownNow();
            closeAll(flood);
        }
        System.out.printf("partial messages: %d of 100 closed while sending, %.0f refused by the node budget%n",
                closedWhileSending.get(), edge.rejected("node-buffer") - overBudgetBefore);
        await().atMost(CLOSED_WITHIN).until(() -> edge.metric("streamloom_rtmp_buffered_bytes") == 0);
        survived("100 partial 4 MiB messages");
    }

    @Test
    void aPingFloodFromAClientThatNeverReadsIsClosedAsNotReading() throws Exception {
        double notReadingBefore = edge.rejected("not-reading");
        long before = edge.sequence();
        boolean closed = false;
        try (RawRtmpSocket deaf = RawRtmpSocket.connect(FloodedEdge.source(7), edge.rtmpPort, 4096).handshake()) {
            // A publisher, so that no publish deadline ends it first on a slow machine: only not reading can.
            deaf.publishWithoutReading(edge.newcomerKey());
            await().atMost(CLOSED_WITHIN).until(() -> edge.edge.streams().get("newcomer").isPublishing());
            // Each ping makes the edge answer; the answers fill our small window and the edge's socket buffer.
            // Bounded: 10 M pings are 180 MB of answers, far past any socket buffer.
            for (int i = 0; i < 2000 && !closed; i++) {
                try {
                    deaf.sendPings(5000);
                } catch (IOException e) {
                    closed = true;
                }
            }
            edge.awaitSequence(before);
        }
        assertThat(closed).as("closed before 10 M unanswered pings").isTrue();
        await().atMost(CLOSED_WITHIN).until(() -> edge.rejected("not-reading") - notReadingBefore == 1);
        survived("a ping flood");
    }

    /** After a flood: the good stream still advances, memory is within bounds, a new publisher goes live. */
    private void survived(String flood) {
        edge.awaitSequence(edge.sequence());
        await().atMost(CLOSED_WITHIN).until(() -> edge.rtmpConnections() <= 1);
        edge.assertMemoryBounded(flood);
        edge.assertNewPublisherGoesLive();
    }

    private static void assertAllClosedByTheEdge(List<RawRtmpSocket> flood) throws IOException {
        long deadline = System.nanoTime() + CLOSED_WITHIN.toNanos();
        int i = 0;
        for (RawRtmpSocket s : flood) {
            Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
            assertThat(s.awaitClosedByServer(left)).as("flood connection %d closed by the edge", i++).isNotNull();
        }
    }

    /** Opens {@code count} idle connections from 16 threads; a connect the kernel refuses is left out. */
    private List<RawRtmpSocket> openAtOnce(int count) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<RawRtmpSocket>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String from = FloodedEdge.source(i);
            pending.add(pool.submit(() -> RawRtmpSocket.connect(from, edge.rtmpPort, 0)));
        }
        pool.shutdown();
        List<RawRtmpSocket> opened = new ArrayList<>();
        for (Future<RawRtmpSocket> f : pending) {
            try {
                opened.add(f.get());
            } catch (ExecutionException e) {
                // connect timed out: the kernel's accept queue was full
            }
        }
        return opened;
    }

    /** C0 (version 3) and the first half of C1 (RTMP spec 5.2): a handshake stalled half-way. */
    private static byte[] halfC0C1() {
        byte[] half = new byte[1 + 768];
        half[0] = 3;
        return half;
    }

    private static void closeAll(List<RawRtmpSocket> sockets) {
        for (RawRtmpSocket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing the rest matters more
            }
        }
    }
}
