package com.streamloom.node.http;

import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsPlaylistRenderer;
import com.streamloom.media.hls.HlsSettings;
import com.streamloom.media.hls.HlsStreams;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.PacketsForTests;
import com.streamloom.media.testing.PacketsForTests.Source;
import com.streamloom.media.testing.SelfSignedCert;
import com.streamloom.media.tls.PemTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LL-HLS plays over HTTP/2: h2 negotiated by ALPN on the TLS port and h2c on the plain port (upgrade and prior
 * knowledge), with blocking playlist reloads answered when the part appears and segments and parts downloadable.
 */
class LowLatencyHlsHttp2Test {
    @TempDir
    static Path dir;
    static List<MediaPacket> sixSeconds;
    static final HlsStreams streams = new HlsStreams();
    static MediaHttpServer server;
    static SelfSignedCert cert;
    static int streamsMade;

    @BeforeAll
    static void start() throws Exception {
        sixSeconds = PacketsForTests.packets(dir, "six", Source.small(6));
        cert = SelfSignedCert.rsa(dir);
        server = new MediaHttpServer(HttpServerSettings.defaults(0).withHost("127.0.0.1"), streams, null)
                .tls(PemTls.load(cert.certFile(), cert.keyFile())).plainPort(0).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An HTTP/2 client for the TLS port (h2 by ALPN) or the plain port (h2c by upgrade). */
    private static HttpClient client(boolean tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(10));
        return tls ? builder.sslContext(cert.trustingContext()).build() : builder.build();
    }

    private static URI uri(boolean tls, String path) {
        return URI.create(tls ? "https://localhost:" + server.port() + path
                : "http://127.0.0.1:" + server.plainPort() + path);
    }

    private static HttpRequest get(boolean tls, String path) {
        return HttpRequest.newBuilder(uri(tls, path)).timeout(Duration.ofSeconds(10)).build();
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {true, false})
    void playsLowLatencyHlsOverHttp2(boolean tls) throws Exception {
        HttpClient client = client(tls);
        HlsPackager packager = new HlsPackager("h2-" + (++streamsMade), new HlsSettings(1_000_000, 6,
                HlsSettings.DEFAULT_PART_MICROS, null), Clock.systemUTC());
        streams.register(packager);
        int fed = feed(packager, 0, p -> p.snapshot().nextSequence() >= 1 && !p.snapshot().pendingParts().isEmpty());
        String base = "/hls/" + packager.stream() + "/";
        // h2c starts with an HTTP/1.1 upgrade request; from then on the connection speaks HTTP/2.
        HttpResponse<String> playlist = client.send(get(tls, base + "index.m3u8"), HttpResponse.BodyHandlers.ofString());
        assertThat(playlist.statusCode()).isEqualTo(200);
        assertThat(playlist.version()).isEqualTo(HttpClient.Version.HTTP_2);

        HttpResponse<byte[]> segment = client.send(get(tls, base + "0.ts"), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(segment.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(segment.body()).isEqualTo(packager.segment("0.ts").data());
        HttpResponse<byte[]> part = client.send(get(tls, base + HlsPlaylistRenderer.partName(1, 0)),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(part.body()).isEqualTo(bytes(packager.part(1, 0)));

        long msn = packager.snapshot().nextSequence();
        int next = packager.snapshot().pendingParts().size();
        CompletableFuture<HttpResponse<String>> reload = client.sendAsync(
                get(tls, base + "index.m3u8?_HLS_msn=" + msn + "&_HLS_part=" + next),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertThat(reload).as("held while the part does not exist").isNotDone();
        // Other streams of the same connection are answered meanwhile.
        assertThat(client.send(get(tls, base + "0.ts"), HttpResponse.BodyHandlers.ofByteArray()).statusCode())
                .isEqualTo(200);
        feed(packager, fed, p -> p.snapshot().pendingParts().size() > next || p.snapshot().nextSequence() > msn);
        HttpResponse<String> answered = reload.get(5, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(answered.body()).contains("URI=\"" + HlsPlaylistRenderer.partName(msn, next) + "\"");
    }

    @Test
    void plainPortSpeaksHttp2ByPriorKnowledge() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.plainPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII)); // RFC 9113 3.4 preface
            out.write(new byte[]{
                0, 0, 0,        // length 0
                0x04,           // type SETTINGS (RFC 9113 6.5)
                0,              // flags
                0, 0, 0, 0});   // stream 0
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[9];
            in.readFully(header);
            assertThat(header[3]).as("the server's preface is a SETTINGS frame").isEqualTo((byte) 0x04);
            assertThat(header[5] | header[6] | header[7] | header[8]).as("on stream 0").isZero();
        }
    }

    private static int feed(HlsPackager packager, int from, java.util.function.Predicate<HlsPackager> done) {
        int next = from;
        while (!done.test(packager)) {
            assertThat(next).as("source exhausted").isLessThan(sixSeconds.size());
            packager.accept(sixSeconds.get(next++));
        }
        return next;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
