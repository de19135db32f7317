package com.streamloom.edge;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Invariant: HTTP floods against a running edge (slowloris heads, pipelined requests never read) are closed by its
 * HTTP limits while a good stream keeps playing, memory stays bounded ({@link FloodedEdge}) and a new publisher
 * still goes live.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeHttpFloodTest {
    /** The head timeout (10 s) with room for a loaded machine. */
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(45);
    /** The idle timeout (60 s) with room for a loaded machine. */
    private static final Duration IDLE_CLOSED_WITHIN = Duration.ofSeconds(90);

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
    void fiveHundredSlowlorisConnectionsAreClosedAtTheHeadTimeout() throws Exception {
        long before = edge.sequence();
        List<Socket> flood = new ArrayList<>();
        byte[] head = ("GET /hls/good/index.m3u8 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "s".repeat(400))
                .getBytes(StandardCharsets.US_ASCII);
        try {
            for (int i = 0; i < 500; i++) {
                flood.add(connect(i, 0));
            }
            // one more byte of the head to every connection each 200 ms: never idle, never a whole head
            long deadline = System.nanoTime() + CLOSED_WITHIN.toNanos();
            int open = flood.size();
            for (int round = 0; open > 0 && round < head.length && System.nanoTime() < deadline; round++) {
                open = 0;
                for (Socket s : flood) {
                    try {
                        s.getOutputStream().write(head[round]);
                        open++;
                    } catch (IOException closedByTheEdge) {
                        // expected once the head deadline has passed
                    }
                }
                if (round == 10) {
                    edge.awaitSequence(before);                    // the good stream plays during the flood
                }
                Thread.sleep(200);
            }
            for (Socket s : flood) {
                assertThat(closedByTheEdge(s, deadline)).as("slowloris connection closed by the edge").isTrue();
            }
        } finally {
            closeAll(flood);
        }
        survived("500 slowloris connections");
    }

    @Test
    void twoHundredPipeliningClientsThatNeverReadAreClosed() throws Exception {
        long before = edge.sequence();
        // The newest segment of the good stream, asked for again and again: three times the write queue bound
        // (16 MiB) in answers, which a client that reads nothing cannot take.
        String segment = edge.playlist("good").last().uri().getRawPath();
        int answer = edge.getBytes(segment).length;
        int requests = (int) (3L * (16 << 20) / answer) + 1;
        byte[] pipelined = ("GET " + segment + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").repeat(requests)
                .getBytes(StandardCharsets.US_ASCII);
        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = connect(i, 8 * 1024);                   // a small window: the answers stay queued
                flood.add(s);
                try {
                    s.getOutputStream().write(pipelined);
                } catch (IOException closedByTheEdge) {
                    // closed before all its requests were read: the bound was passed first
                }
            }
            edge.awaitSequence(before);
            edge.assertResidentBounded("200 pipelining clients, while they are open");
            // Looking would be reading, so the edge's own count tells. It stops reading a connection whose answers
            // are not taken (back-pressure), so what it buffers stays below the write queue bound; a client whose
            // requests still get answered is closed at that bound, the rest when the idle timeout (60 s) passes
            // with no traffic. Never buffered for without end.
            // A scrape may wait behind the flood on a loaded machine: one that times out is asked again.
            long started = System.nanoTime();
            await().atMost(IDLE_CLOSED_WITHIN).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> edge.metric("streamloom_http_connections") < 10);
            System.out.printf("pipelining: the flood's connections closed %d s after it was sent%n",
                    (System.nanoTime() - started) / 1_000_000_000);
            assertThat(edge.metric("streamloom_http_queued_bytes")).isLessThan(1 << 20);
        } finally {
            closeAll(flood);
        }
        survived("200 pipelining clients that never read");
    }

    /** After a flood: the good stream still advances, memory is within bounds, a new publisher goes live. */
    private void survived(String flood) {
        edge.awaitSequence(edge.sequence());
        edge.assertMemoryBounded(flood);
        edge.assertNewPublisherGoesLive();
    }

    private Socket connect(int i, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);               // before connect, so the TCP window stays small
        }
        s.bind(new InetSocketAddress(FloodedEdge.source(i), 0));
        s.connect(new InetSocketAddress("127.0.0.1", edge.httpPort), 5_000);
        return s;
    }

    /**
     * Reads (now, as the client finally looks) until the edge closes the connection: end of stream or a reset.
     * A pipelining client's answers already queued may come first; reading them is bounded by the deadline.
     */
    private static boolean closedByTheEdge(Socket s, long deadlineNanos) throws IOException {
        byte[] buf = new byte[64 * 1024];
        InputStream in = s.getInputStream();
        try {
            while (true) {
                int left = (int) Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
                s.setSoTimeout(left);
                if (in.read(buf) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;                                           // reset: closed with answers unread
        }
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing the rest matters more
            }
        }
    }
}
