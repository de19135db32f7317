package com.streamloom.edge;

import com.streamloom.node.NodeConfig;
import com.streamloom.media.rtmp.RtmpClient;
import com.streamloom.media.rtmp.RtmpPublishFailedException;
import com.streamloom.media.rtmp.RtmpSettings;
import com.streamloom.media.rtmp.RtmpUrl;
import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.Ports;
import com.streamloom.media.testing.SyntheticPublisher;
import com.sun.net.httpserver.HttpServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.NettyRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariant: wrong stream keys and a slow key authority can neither harm a live stream nor stall the RTMP event
 * loop; wrong keys from one address back off, and an undecidable key check refuses (fails closed) in time.
 */
class EdgePublishGuardTest {
    static final SecureRandom RANDOM = new SecureRandom();

    final EventLoopGroup clients = new NioEventLoopGroup(1);
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception ignored) {
                // closing the rest matters more
            }
        }
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void fiveHundredWrongKeysLeaveTheLiveStreamUnharmedAndBackOff() throws Exception {
        String key = randomToken();
        OneStreamEdge edge = OneStreamEdge.start("studio", key);
        open.add(edge);
        SyntheticPublisher good = SyntheticPublisher.builder().size(320, 180).fps(15).publishTo(edge.server + "/" + key);
        open.add(good);
        long startSeq = edge.awaitPlaylist(p -> !p.segments().isEmpty()).last().sequence();

        // Watch the playlist in the background: the longest time it went without a new segment.
        AtomicBoolean hammering = new AtomicBoolean(true);
        AtomicLong longestStallMillis = new AtomicLong();
        Thread watcher = new Thread(() -> watch(edge, hammering, longestStallMillis), "playlist-watcher");
        watcher.start();

        String wrongKey = randomToken();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(new TeeStream(originalErr, logs), true, StandardCharsets.UTF_8));
        List<String> refusals = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                refusals.add(refusal(edge.server + "/" + wrongKey));
            }
        } finally {
            System.setErr(originalErr);
            hammering.set(false);
            watcher.join();
        }

        assertThat(refusals).hasSize(500).allSatisfy(r -> assertThat(r).doesNotContain("Publish.Start"));
        assertThat(refusals.get(0)).contains("invalid stream key").contains("next attempt from this address in 1 s");
        assertThat(refusals.get(1)).contains("too many wrong stream keys from this address; try again in");
        assertThat(refusals.stream().filter(r -> r.contains("try again in")).count())
                .as("most attempts never reach the key check").isGreaterThan(400);

        assertThat(good.isRunning()).as(good.log()).isTrue();
        assertThat(edge.state()).isEqualTo("live");
        long afterSeq = edge.awaitPlaylist(p -> p.last().sequence() > startSeq + 2).last().sequence();
        assertThat(afterSeq).isGreaterThan(startSeq);
        assertThat(longestStallMillis.get()).as("longest time without a new segment (1 s segments)")
                .isLessThan(6_000);

        String logged = logs.toString(StandardCharsets.UTF_8);
        assertThat(logged).as("publish attempts were logged").contains("publish refused");
        for (String secret : List.of(wrongKey, key)) {
            String hash = HexFormat.of().formatHex(com.streamloom.media.rtmp.PublishRequest.keyDigest(secret));
            assertThat(logged).doesNotContain(secret).doesNotContain(hash.substring(0, 8));
        }
    }

    @Test
    void aSlowControlApiFailsClosedInTimeWithoutStallingOtherConnections() throws Exception {
        CountDownLatch checkArrived = new CountDownLatch(1);
        HttpServer control = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        control.setExecutor(Executors.newCachedThreadPool());
        control.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (path.endsWith("/enrol")) {
                    // The edge enrols first; only the key check hangs.
                    byte[] body = ("{\"credential\": \"" + randomToken() + "\"}").getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    return;
                }
                if (path.endsWith("/publish-check")) {
                    checkArrived.countDown();
                    Thread.sleep(20_000); // a control API that hangs
                }
                exchange.sendResponseHeaders(503, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        control.start();
        open.add(() -> control.stop(0));

        NodeConfig config = clusterEdge(control.getAddress().getPort(), "edge-guard");
        Duration timeout = Duration.ofMillis(1500);
        EdgeNode edge = EdgeNode.start(config, PublishGuardSettings.defaults().withKeyCheckTimeout(timeout));
        open.add(edge);

        long started = System.nanoTime();
        CompletableFuture<String> pending = CompletableFuture.supplyAsync(
                () -> refusal("rtmp://127.0.0.1:" + edge.rtmpPort() + "/live/" + randomToken()));
        assertThat(checkArrived.await(5, TimeUnit.SECONDS)).as("the key check reached the control API").isTrue();

        // Consecutive connections are spread round-robin over the RTMP event loops, so one more handshake than
        // there are loops puts at least one on the loop of the waiting publish.
        int loops = 2 * NettyRuntime.availableProcessors();
        for (int i = 0; i <= loops; i++) {
            long t = System.nanoTime();
            handshake(edge.rtmpPort());
            assertThat(Duration.ofNanos(System.nanoTime() - t)).as("handshake %d", i)
                    .isLessThan(Duration.ofMillis(500));
        }
        assertThat(pending).as("the handshakes finished while the key check was still waiting").isNotDone();

        String refused = pending.get(10, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(refused).contains("NetStream.Publish.Failed").contains("cannot verify the stream key right now");
        assertThat(took).isGreaterThanOrEqualTo(timeout.minusMillis(100)).isLessThan(timeout.plusSeconds(3));
    }

    /** A publish that must be refused: the server's status code and description. */
    private String refusal(String url) {
        CompletableFuture<RtmpClient> attempt = RtmpClient.publish(clients, RtmpUrl.parse(url),
                RtmpSettings.defaults(), () -> { });
        try {
            RtmpClient client = attempt.get(10, TimeUnit.SECONDS);
            client.close();
            return "NetStream.Publish.Start (accepted)";
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(RtmpPublishFailedException.class);
            return e.getCause().getMessage();
        } catch (Exception e) {
            throw new AssertionError("no answer to a publish", e);
        }
    }

    /** RTMP spec 5.2: C0 (version 3) and C1 (1536 bytes) out, S0, S1 and S2 back. */
    private static void handshake(int port) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            byte[] c0c1 = new byte[1 + 1536];
            c0c1[0] = 3;
            out.write(c0c1);
            out.flush();
            new DataInputStream(socket.getInputStream()).readFully(new byte[1 + 1536 + 1536]);
        }
    }

    private static void watch(OneStreamEdge edge, AtomicBoolean running, AtomicLong longestStallMillis) {
        long lastSeq = -1;
        long lastChange = System.nanoTime();
        while (running.get()) {
            HlsProbe.Playlist p = edge.fetch();
            long now = System.nanoTime();
            if (p != null && !p.segments().isEmpty() && p.last().sequence() != lastSeq) {
                lastSeq = p.last().sequence();
                lastChange = now;
            }
            longestStallMillis.accumulateAndGet((now - lastChange) / 1_000_000, Math::max);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Writes to the console and keeps a copy for assertions. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream console;
        private final ByteArrayOutputStream copy;

        TeeStream(OutputStream console, ByteArrayOutputStream copy) {
            this.console = console;
            this.copy = copy;
        }

        @Override
        public synchronized void write(int b) {
            copy.write(b);
            try {
                console.write(b);
            } catch (java.io.IOException ignored) {
                // the copy is what the test reads
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            copy.write(b, off, len);
            try {
                console.write(b, off, len);
            } catch (java.io.IOException ignored) {
                // the copy is what the test reads
            }
        }
    }

    /** An edge on loopback and free ports in cluster mode, talking to the control API on {@code controlPort}. */
    static NodeConfig clusterEdge(int controlPort, String credentialDirPrefix) throws java.io.IOException {
        return NodeConfig.load(null, Map.of(
                "STREAMLOOM_BIND_HOST", "127.0.0.1", "STREAMLOOM_ADVERTISE_HOST", "127.0.0.1",
                "STREAMLOOM_RTMP_PORT", String.valueOf(Ports.free()),
                "STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free()),
                "STREAMLOOM_CONTROL_URL", "http://127.0.0.1:" + controlPort,
                "STREAMLOOM_NODE_TOKEN", randomToken(),
                "STREAMLOOM_CREDENTIAL_FILE", java.nio.file.Files.createTempDirectory(credentialDirPrefix)
                        .resolve("node.credential").toString()), 1935, 8081);
    }
}
