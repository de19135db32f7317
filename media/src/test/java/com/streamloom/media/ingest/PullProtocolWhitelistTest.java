package com.streamloom.media.ingest;

import com.streamloom.media.codec.FfmpegLog;
import com.streamloom.media.testing.RecordingSink;
import com.streamloom.media.testing.RtspCamera;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;

/** A pull may use only the protocols its URL's scheme needs, so a server cannot lead it to another protocol. */
class PullProtocolWhitelistTest {
    private static final PullSettings FAST = PullSettings.defaults()
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
            .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1));

    @Test
    void eachSchemeGetsOnlyItsOwnProtocols() {
        assertThat(ProtocolWhitelist.forUrl("rtsp://cam/1")).isEqualTo("rtsp,rtp,udp,tcp");
        assertThat(ProtocolWhitelist.forUrl("rtsps://cam/1")).isEqualTo("rtsp,rtsps,rtp,udp,tcp,tls");
        assertThat(ProtocolWhitelist.forUrl("rtmp://server/app/key")).isEqualTo("rtmp,tcp");
        assertThat(ProtocolWhitelist.forUrl("rtmps://server/app/key")).isEqualTo("rtmps,tls,tcp");
        assertThatThrownBy(() -> ProtocolWhitelist.forUrl("file:///etc/passwd"))
                .hasMessageContaining("no protocols are allowed");
    }

    @Test
    void aRealCameraPullRunsUnderTheWhitelist() throws Exception {
        try (RtspCamera camera = RtspCamera.builder().size(160, 120).fps(15).start();
             IoDeadline deadline = new IoDeadline(() -> false);
             FfmpegLog.Capture log = FfmpegLog.capture()) {
            AVFormatContext ctx = new PullSession(camera.url(), FAST, deadline, () -> false).open(log);
            try {
                assertThat(ctx.protocol_whitelist().getString()).isEqualTo("rtsp,rtp,udp,tcp");
                assertThat(ctx.iformat().name().getString()).isEqualTo("rtsp");
                assertThat(ctx.nb_streams()).isPositive();
            } finally {
                deadline.clear();
                avformat_close_input(ctx);
            }
        }
    }

    /**
     * An RTSP server may answer 302 with any Location, and FFmpeg follows it (rtsp.c, "Redirecting to"): here to
     * rtsps://, which needs the tls protocol. The pull refuses instead of dialling the place it was sent to.
     */
    @Test
    void aServerRedirectingThePullToAnotherProtocolIsRefused() throws Exception {
        try (ServerSocket target = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             RedirectingRtspServer server = new RedirectingRtspServer(
                     "rtsps://127.0.0.1:" + target.getLocalPort() + "/elsewhere")) {
            RecordingSink sink = new RecordingSink();
            try (PullSource pull = new PullSource("redirected", server.url(), FAST, sink)) {
                pull.start();
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> pull.status().lastError() != null && server.requests.get() > 0);
                assertThat(pull.status().lastError()).contains("not on whitelist");
            }
            target.setSoTimeout(300);
            assertThatThrownBy(target::accept).as("nobody dialled the redirect's target")
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(sink.packets()).isEmpty();
        }
    }

    /** Answers every RTSP request with 302 Found and a fixed Location, echoing the request's CSeq. */
    private static final class RedirectingRtspServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        private final String location;
        final AtomicInteger requests = new AtomicInteger();
        private final Thread thread = new Thread(this::serve, "redirecting-rtsp");

        RedirectingRtspServer(String location) throws IOException {
            this.location = location;
            thread.setDaemon(true);
            thread.start();
        }

        String url() {
            return "rtsp://127.0.0.1:" + socket.getLocalPort() + "/cam";
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    client.setSoTimeout(5000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                            StandardCharsets.US_ASCII));
                    OutputStream out = client.getOutputStream();
                    String cseq = "0";
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (line.regionMatches(true, 0, "CSeq:", 0, 5)) {
                            cseq = line.substring(5).strip();
                        } else if (line.isEmpty()) {
                            requests.incrementAndGet();
                            out.write(("RTSP/1.0 302 Found\r\nCSeq: " + cseq + "\r\nLocation: " + location
                                    + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // the pull hung up, or the server is closing
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
