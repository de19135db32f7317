package com.streamloom.media.ingest;

import com.streamloom.media.testing.Ports;
import com.streamloom.media.testing.RecordingSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A dead URL never blocks a thread; timeouts hold; stopping is prompt. */
class PullSourceTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofMillis(1000);
    private static final PullSettings SETTINGS = PullSettings.defaults()
            .withTimeouts(TIMEOUT, TIMEOUT).withBackoff(Duration.ofMillis(300), Duration.ofSeconds(1));

    /** Accepts TCP connections and never says a word: a hung camera or origin. */
    private ServerSocket silent;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void openSilentServer() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    accepted.add(silent.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void closeSilentServer() throws IOException {
        silent.close();
        for (Socket s : accepted) {
            s.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtsp", "rtmp"})
    void closedPortFailsFastAndKeepsRetrying(String scheme) {
        String url = scheme + "://127.0.0.1:" + Ports.free() + "/live/none";
        RecordingSink sink = new RecordingSink();
        PullSource source = new PullSource("closed-" + scheme, url, SETTINGS, sink);
        try (source) {
            long t0 = System.nanoTime();
            source.start();
            await().atMost(Duration.ofSeconds(3)).until(() -> source.lastError() != null);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(TIMEOUT.plusMillis(500));
            assertThat(source.lastError()).containsIgnoringCase("refused");
            await().atMost(Duration.ofSeconds(2)).until(() -> source.state() == PullSource.State.RECONNECTING);
        }
        assertThat(source.worker().isAlive()).isFalse();
        assertThat(sink.packets()).isEmpty();
        assertThat(sink.endReasons()).as("no session started, so none ended").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtsp", "rtmp"})
    void serverThatNeverAnswersTimesOutWithinTheConnectTimeout(String scheme) {
        String url = scheme + "://127.0.0.1:" + silent.getLocalPort() + "/live/hung";
        PullSource source = new PullSource("hung-" + scheme, url, SETTINGS, new RecordingSink());
        try (source) {
            long t0 = System.nanoTime();
            source.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> source.lastError() != null);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(took).isBetween(TIMEOUT.minusMillis(100), TIMEOUT.plusMillis(800));
            assertThat(accepted).as("the pull did connect").isNotEmpty();
            assertThat(source.lastError()).contains("timed out").contains("1000 ms");
            // It tries again after the back-off: a second connection arrives.
            await().atMost(Duration.ofSeconds(5)).until(() -> accepted.size() >= 2);
        }
        assertThat(source.worker().isAlive()).isFalse();
    }

    @Test
    void stopReturnsPromptlyWhileConnecting() {
        PullSettings patient = SETTINGS.withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30));
        PullSource source = new PullSource("stop-while-connecting",
                "rtsp://127.0.0.1:" + silent.getLocalPort() + "/cam", patient, new RecordingSink());
        source.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !accepted.isEmpty());
        assertThat(source.state()).isEqualTo(PullSource.State.CONNECTING);
        long t0 = System.nanoTime();
        source.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(source.worker().isAlive()).isFalse();
        assertThat(source.state()).isEqualTo(PullSource.State.STOPPED);
    }

    @Test
    void stopReturnsPromptlyWhileWaitingToReconnect() {
        PullSettings slowRetry = SETTINGS.withBackoff(Duration.ofSeconds(20), Duration.ofSeconds(20));
        PullSource source = new PullSource("stop-in-backoff", "rtsp://127.0.0.1:" + Ports.free() + "/cam",
                slowRetry, new RecordingSink());
        source.start();
        await().atMost(Duration.ofSeconds(3)).until(() -> source.state() == PullSource.State.RECONNECTING);
        long t0 = System.nanoTime();
        source.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500));
        assertThat(source.state()).isEqualTo(PullSource.State.STOPPED);
    }
}
