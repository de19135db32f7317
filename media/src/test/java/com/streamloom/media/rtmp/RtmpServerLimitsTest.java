package com.streamloom.media.rtmp;

import com.streamloom.media.testing.RecordingSink;
import com.streamloom.media.testing.SelfSignedCert;
import com.streamloom.media.tls.PemTls;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Invariant: a client that breaks a server-wide RTMP limit is closed and counted by reason, and a good publisher on
 * the same server streams on during the abuse and a new one connects after it.
 */
class RtmpServerLimitsTest {
    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(10);

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final Map<String, RecordingSink> sinks = new ConcurrentHashMap<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private RtmpServer server;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void connectionsPastTheServerTotalAreClosedAndCounted() throws Exception {
        start(patient().withMaxConnections(5));
        SteadyPublisher good = publisher("good-1");
        List<RawRtmpSocket> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(raw().handshake());
        }
        await().atMost(CLOSE_WITHIN).until(() -> server.guards().openConnections() == 5);
        for (int i = 0; i < 3; i++) {
            assertThat(raw().awaitClosedByServer(CLOSE_WITHIN)).as("connection %d past the limit", 6 + i).isEmpty();
        }
        assertThat(rejected(RtmpLimit.CONNECTIONS)).isEqualTo(3);
        good.assertStillStreaming();

        for (RawRtmpSocket s : held) {
            s.close();
        }
        await().atMost(CLOSE_WITHIN).until(() -> server.guards().openConnections() == 1);
        publisher("good-2").assertStillStreaming();
        assertThat(rejected(RtmpLimit.CONNECTIONS)).isEqualTo(3);
    }

    @Test
    void anRtmpsPortAndItsPlainPortShareTheCounts(@TempDir Path dir) throws Exception {
        SelfSignedCert cert = SelfSignedCert.rsa(dir);
        server = RtmpServer.start(new InetSocketAddress("127.0.0.1", 0), patient().withMaxConnections(2),
                request -> new RecordingSink(), PemTls.load(cert.certFile(), cert.keyFile()), 0);
        toClose.add(server);
        rawAt(server.port());                                        // counted before TLS costs anything
        rawAt(server.plainPort()).handshake();
        await().atMost(CLOSE_WITHIN).until(() -> server.guards().openConnections() == 2);
        assertThat(rawAt(server.plainPort()).awaitClosedByServer(CLOSE_WITHIN)).isEmpty();
        assertThat(rawAt(server.port()).awaitClosedByServer(CLOSE_WITHIN)).isEmpty();
        assertThat(rejected(RtmpLimit.CONNECTIONS)).isEqualTo(2);
    }

    @Test
    void connectionsPastTheLimitOfOneAddressAreClosedWhileOtherAddressesConnect() throws Exception {
        start(patient().withMaxConnectionsPerAddress(2));
        SteadyPublisher good = publisher("good-1");                  // from 127.0.0.1
        List<RawRtmpSocket> held = List.of(rawFrom("127.0.0.2").handshake(), rawFrom("127.0.0.2").handshake());
        for (int i = 0; i < 3; i++) {
            assertThat(rawFrom("127.0.0.2").awaitClosedByServer(CLOSE_WITHIN)).isEmpty();
        }
        assertThat(rejected(RtmpLimit.CONNECTIONS_PER_ADDRESS)).isEqualTo(3);
        good.assertStillStreaming();
        publisher("good-2").assertStillStreaming();                  // 127.0.0.1 holds two as well now

        for (RawRtmpSocket s : held) {
            s.close();
        }
        await().atMost(CLOSE_WITHIN).until(() -> server.guards().openConnections() == 2);
        try (RawRtmpSocket again = rawFrom("127.0.0.2").handshake()) {
            again.connectCommand();
            assertThat(again.awaitClosedByServer(Duration.ofMillis(300))).as("admitted again").isNull();
        }
        assertThat(rejected(RtmpLimit.CONNECTIONS_PER_ADDRESS)).isEqualTo(3);
    }

    @Test
    void aConnectionWithoutAPublishInTimeIsClosedWithAStatusWhereRtmpCanSayWhy() throws Exception {
        start(RtmpSettings.defaults().withPublishTimeout(Duration.ofSeconds(2)));
        SteadyPublisher good = publisher("good-1");
        RawRtmpSocket connected = raw().handshake().connectCommand();
        RawRtmpSocket silent = raw();

        assertThat(RawRtmpSocket.statusCodes(connected.awaitClosedByServer(CLOSE_WITHIN)))
                .containsExactly("NetConnection.Connect.Closed");
        assertThat(silent.awaitClosedByServer(CLOSE_WITHIN)).as("before the handshake: just closed").isEmpty();
        assertThat(rejected(RtmpLimit.PUBLISH_DEADLINE)).isEqualTo(2);
        // it published within the timeout long ago, and streams on
        good.assertStillStreaming();
        publisher("good-2").assertStillStreaming();
        assertThat(rejected(RtmpLimit.PUBLISH_DEADLINE)).isEqualTo(2);
    }

    @Test
    void aConnectionHoldingMoreThanItsBufferIsClosedAndItsBytesReleased() throws Exception {
        start(RtmpSettings.defaults().withMaxMessageBytes(64 * 1024).withMaxConnectionBufferBytes(100 * 1024));
        SteadyPublisher good = publisher("good-1");
        RawRtmpSocket abuser = raw().handshake().connectCommand();
        // Capacity grows by doubling: 60,000 held on stream 4; on stream 5 the chunk at 32,768 needs it to grow from
        // 32,768 to 60,000, past 100 KiB together. Nothing is sent behind that chunk, so the status is read.
        abuser.sendPartialMessage(4, 60_000, 312 * 128);
        abuser.sendPartialMessage(5, 60_000, 32_768 + 128);
        assertThat(RawRtmpSocket.statusCodes(abuser.awaitClosedByServer(CLOSE_WITHIN)))
                .containsExactly("NetConnection.Connect.Closed");
        assertThat(rejected(RtmpLimit.CONNECTION_BUFFER)).isEqualTo(1);
        good.assertStillStreaming();
        publisher("good-2").assertStillStreaming();

        closeAll();
        await().atMost(CLOSE_WITHIN).until(() -> server.guards().openConnections() == 0);
        assertThat(server.guards().budget().reserved()).isZero();
    }

    @Test
    void theNodeBudgetRefusesConnectionsThatHaveNotPublishedAndReturnsToZero() throws Exception {
        start(patient().withMaxMessageBytes(256 * 1024).withMaxNodeBufferBytes(1024 * 1024));
        SteadyPublisher good = publisher("good-1");
        List<RawRtmpSocket> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {                                // 4 x 250,000 bytes held: within 1 MiB
            RawRtmpSocket s = raw().handshake();
            s.sendPartialMessage(4, 250_000, 1562 * 128);
            held.add(s);
            await().atMost(CLOSE_WITHIN).until(() -> server.guards().budget().reserved() >= 250_000L * held.size());
        }
        for (int i = 0; i < 2; i++) {
            RawRtmpSocket over = raw().handshake();
            try {
                over.sendPartialMessage(4, 250_000, 1562 * 128);
            } catch (IOException e) {
                // the server may close it before all is written: refused part way, as it should be
            }
            assertThat(over.awaitClosedByServer(CLOSE_WITHIN)).as("closed past the node budget").isNotNull();
        }
        assertThat(rejected(RtmpLimit.NODE_BUFFER)).isEqualTo(2);
        good.assertStillStreaming();                                 // published: counted, never refused
        for (RawRtmpSocket s : held) {
            assertThat(s.awaitClosedByServer(Duration.ofMillis(100))).as("held within the budget").isNull();
        }

        for (RawRtmpSocket s : held) {
            s.close();
        }
        publisher("good-2").assertStillStreaming();
        closeAll();
        await().atMost(CLOSE_WITHIN).until(() -> server.guards().openConnections() == 0);
        assertThat(server.guards().budget().reserved()).isZero();
    }

    @Test
    void aClientThatMakesTheServerWriteButDoesNotReadIsClosed() throws Exception {
        // No publish deadline may close it first: on a loaded machine filling the buffers takes longer than 10 s.
        start(patient());
        SteadyPublisher good = publisher("good-1");
        RawRtmpSocket deaf = RawRtmpSocket.connect("127.0.0.1", server.port(), 4096).handshake();
        // Each ping makes the server answer; the answers fill our small window, the server's socket buffer, then
        // its outbound buffer. Bounded: 4 M pings are 72 MB of answers, far past any socket buffer.
        boolean closed = false;
        for (int i = 0; i < 4000 && !closed; i++) {
            try {
                deaf.sendPings(1000);
            } catch (IOException e) {
                closed = true;
            }
            closed |= rejected(RtmpLimit.NOT_READING) == 1;
        }
        assertThat(closed).as("closed before 4 M unanswered pings").isTrue();
        await().atMost(CLOSE_WITHIN).until(() -> rejected(RtmpLimit.NOT_READING) == 1);
        good.assertStillStreaming();
        deaf.close();
        publisher("good-2").assertStillStreaming();
        assertThat(rejected(RtmpLimit.NOT_READING)).isEqualTo(1);
    }

    /** Defaults, with the timeouts that would close held connections far past any test's length. */
    private static RtmpSettings patient() {
        return RtmpSettings.defaults().withPublishTimeout(Duration.ofMinutes(2)).withReadIdleTimeout(
                Duration.ofMinutes(2));
    }

    private void start(RtmpSettings settings) throws InterruptedException {
        server = RtmpServer.start(new InetSocketAddress("127.0.0.1", 0), settings, request -> {
            RecordingSink sink = sinks.get(request.streamKey());
            if (sink == null) {
                throw new PublishRejectedException("unknown stream key");
            }
            return sink;
        });
        toClose.add(server);
    }

    private SteadyPublisher publisher(String key) throws Exception {
        sinks.put(key, new RecordingSink());
        SteadyPublisher publisher = SteadyPublisher.start(group, server, key, sinks.get(key));
        toClose.add(publisher);
        return publisher;
    }

    private RawRtmpSocket raw() throws IOException {
        return rawFrom("127.0.0.1");
    }

    private RawRtmpSocket rawAt(int port) throws IOException {
        RawRtmpSocket socket = RawRtmpSocket.connect("127.0.0.1", port, 0);
        toClose.add(socket);
        return socket;
    }

    private RawRtmpSocket rawFrom(String localAddress) throws IOException {
        RawRtmpSocket socket = RawRtmpSocket.connect(localAddress, server.port(), 0);
        toClose.add(socket);
        return socket;
    }

    private long rejected(RtmpLimit limit) {
        return server.guards().rejections().count(limit);
    }

    /** Closes every client, leaving the server running. */
    private void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            if (toClose.get(i) != server) {
                toClose.remove(i).close();
            }
        }
    }
}
