package com.streamloom.media.net;

import com.streamloom.media.ingest.PullSettings;
import com.streamloom.media.ingest.PullSource;
import com.streamloom.media.rtmp.RtmpPublisher;
import com.streamloom.media.rtmp.RtmpSettings;
import com.streamloom.media.rtmp.RtmpUrl;
import com.streamloom.media.testing.RecordingSink;
import com.streamloom.spec.HostRules;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Pulls and forwards check the resolved address of their host against the node's rules and never open a connection
 * to a denied one; the same target with the rules lifted is dialled, so the check is what kept it away.
 */
class OutboundConnectTest {
    /** localhost resolves to loopback; these rules deny exactly that. */
    private static final HostRules NO_LOOPBACK = HostRules.of("outboundAllow", List.of(), "outboundDeny",
            List.of("127.0.0.0/8", "::1"));
    private static final HostRules OPEN = HostRules.of("outboundAllow", List.of(), "outboundDeny", List.of());
    private static final PullSettings FAST = PullSettings.defaults()
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
            .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1));

    @Test
    void aPullToANameResolvingToADeniedAddressIsRefusedBeforeConnecting() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            String url = "rtsp://localhost:" + server.getLocalPort() + "/cam";
            RecordingSink sink = new RecordingSink();
            try (PullSource pull = new PullSource("denied", url, FAST.withOutbound(NO_LOOPBACK), sink)) {
                pull.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> pull.status().lastError() != null);
                assertThat(pull.status().lastError()).startsWith("not connecting: source.url: host localhost (")
                        .contains("is denied by outboundDeny rule");
            }
            assertNoConnection(server);

            try (PullSource pull = new PullSource("allowed", url, FAST.withOutbound(OPEN), sink)) {
                pull.start();
                server.setSoTimeout(10_000);
                try (Socket dialled = server.accept()) {
                    assertThat(dialled.getInetAddress().isLoopbackAddress()).isTrue();
                }
            }
        }
    }

    @Test
    void aForwardToADeniedAddressIsNeverDialled() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            RtmpUrl url = RtmpUrl.parse("rtmp://localhost:" + server.getLocalPort() + "/live/target");
            RtmpPublisher denied = new RtmpPublisher(url, RtmpSettings.defaults(), NO_LOOPBACK).start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> denied.lastFailure() != null);
                assertThat(denied.lastFailure()).startsWith("output.forwardUrls: host localhost (")
                        .contains("is denied by outboundDeny rule");
                assertThat(denied.publishes()).isZero();
            } finally {
                denied.close();
            }
            assertNoConnection(server);

            RtmpPublisher allowed = new RtmpPublisher(url, RtmpSettings.defaults(), OPEN).start();
            try {
                server.setSoTimeout(10_000);
                try (Socket dialled = server.accept()) {
                    assertThat(dialled.getInetAddress().isLoopbackAddress()).isTrue();
                }
            } finally {
                allowed.close();
            }
        }
    }

    /** A connect completes in the kernel's backlog without accept(): once the refusal is reported, none is there. */
    private static void assertNoConnection(ServerSocket server) throws IOException {
        server.setSoTimeout(200);
        assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
    }
}
