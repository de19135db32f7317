package com.streamloom.node;

import com.streamloom.media.tls.PemTls;

import com.streamloom.media.hls.HlsStreams;
import com.streamloom.node.http.ApiResponse;
import com.streamloom.node.http.HttpServerSettings;
import com.streamloom.node.http.MediaHttpServer;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.rtmp.RtmpClient;
import com.streamloom.media.rtmp.RtmpServer;
import com.streamloom.media.rtmp.RtmpSettings;
import com.streamloom.media.rtmp.RtmpUrl;
import com.streamloom.media.testing.ClosedAfterEach;
import com.streamloom.media.testing.RecordingSink;
import com.streamloom.media.testing.SelfSignedCert;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** With a certificate configured, the HTTP and RTMP listeners speak only TLS, and our RTMP client checks the server. */
class TlsListenersTest {
    private static final String KEY = "Qm7vX2pLr9TzK4wYc8NhB3dFs6GjA1eU";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String STORE_PASSWORD = "tRu5t-" + Long.toHexString(System.nanoTime());

    @TempDir
    Path dir;
    @RegisterExtension
    final ClosedAfterEach open = new ClosedAfterEach();

    @Test
    void httpsAnswersAClientThatTrustsTheCertificate() throws Exception {
        SelfSignedCert cert = SelfSignedCert.rsa(dir);
        MediaHttpServer server = https(cert);
        HttpClient client = HttpClient.newBuilder().sslContext(cert.trustingContext()).connectTimeout(TIMEOUT).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + server.port() + "/api/ping")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("pong");
    }

    @Test
    void plainHttpOnTheHttpsPortGetsNoHttpAnswer() throws Exception {
        MediaHttpServer server = https(SelfSignedCert.rsa(dir));
        HttpClient plain = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/ping")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void plainRtmpOnTheRtmpsPortIsClosed() throws Exception {
        RtmpServer server = rtmps(SelfSignedCert.rsa(dir), new RecordingSink());
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(3);                  // C0: RTMP version 3 (RTMP spec 5.2.2), not a TLS record type
            out.write(new byte[1536]);     // C1: time, zero, random bytes
            out.flush();
            InputStream in = s.getInputStream();
            // no S0/S1: the server reads this as a broken TLS record and closes the connection
            assertThat(in.readAllBytes()).hasSizeLessThan(1 + 1536);
        }
    }

    @Test
    void rtmpClientRefusesAServerItDoesNotTrust() throws Exception {
        RtmpServer server = rtmps(SelfSignedCert.rsa(dir), new RecordingSink());
        assertThatThrownBy(() -> RtmpClient.publish(open.group(), RtmpUrl.parse("rtmps://localhost:" + server.port()
                + "/live/" + KEY), RtmpSettings.defaults(), null).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(causes(e)).anyMatch(SSLHandshakeException.class::isInstance));
    }

    @Test
    void rtmpClientPublishesOverRtmpsToAServerWhoseAuthorityTheJvmTrusts() throws Exception {
        SelfSignedCert cert = SelfSignedCert.rsa(dir);
        RecordingSink sink = new RecordingSink();
        RtmpServer server = rtmps(cert, sink);
        // the operator's way to trust a private authority: javax.net.ssl.trustStore
        Path store = trustStoreWith(cert);
        String before = System.getProperty("javax.net.ssl.trustStore");
        String beforePassword = System.getProperty("javax.net.ssl.trustStorePassword");
        System.setProperty("javax.net.ssl.trustStore", store.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", STORE_PASSWORD);
        RtmpClient client;
        try {
            client = RtmpClient.publish(open.group(), RtmpUrl.parse("rtmps://localhost:" + server.port() + "/live/"
                    + KEY), RtmpSettings.defaults(), null).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            restore("javax.net.ssl.trustStore", before);
            restore("javax.net.ssl.trustStorePassword", beforePassword);
        }
        open.add(client);
        MediaPacket config = MediaPacket.videoConfig(MediaPacket.Codec.H264, 0, new byte[]{1, 0x64, 0, 0x1F,
                (byte) 0xFF});
        client.send(config);
        await().atMost(TIMEOUT).until(() -> sink.packets().size() == 1);
    }

    @Test
    void aNamedPlainPortBesideTlsServesTheSameRoutesAndPublishers() throws Exception {
        SelfSignedCert cert = SelfSignedCert.rsa(dir);
        PemTls tls = PemTls.load(cert.certFile(), cert.keyFile());
        MediaHttpServer http = new MediaHttpServer(HttpServerSettings.defaults(0).withHost("127.0.0.1"),
                new HlsStreams(), null);
        http.route(HttpMethod.GET, "/api/ping", req -> ApiResponse.json(Map.of("answer", "pong")));
        http.tls(tls).plainPort(0).start();
        open.add(http);
        HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(TIMEOUT).build().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + http.plainPort() + "/api/ping")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).contains("pong");
        assertThat(http.plainPort()).isNotEqualTo(http.port());

        RecordingSink sink = new RecordingSink();
        RtmpServer rtmp = RtmpServer.start(new InetSocketAddress("127.0.0.1", 0), RtmpSettings.defaults(),
                request -> sink, tls, 0);
        open.add(rtmp);
        RtmpClient client = RtmpClient.publish(open.group(), RtmpUrl.parse("rtmp://127.0.0.1:" + rtmp.plainPort()
                + "/live/" + KEY), RtmpSettings.defaults(), null).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        open.add(client);
        client.send(MediaPacket.videoConfig(MediaPacket.Codec.H264, 0, new byte[]{1, 0x64, 0, 0x1F, (byte) 0xFF}));
        await().atMost(TIMEOUT).until(() -> sink.packets().size() == 1);
    }

    private MediaHttpServer https(SelfSignedCert cert) throws InterruptedException {
        MediaHttpServer server = new MediaHttpServer(HttpServerSettings.defaults(0).withHost("127.0.0.1"),
                new HlsStreams(), null);
        server.route(HttpMethod.GET, "/api/ping", req -> ApiResponse.json(Map.of("answer", "pong")));
        server.tls(PemTls.load(cert.certFile(), cert.keyFile())).start();
        open.add(server);
        return server;
    }

    private RtmpServer rtmps(SelfSignedCert cert, RecordingSink sink) throws InterruptedException {
        RtmpServer server = RtmpServer.start(new InetSocketAddress("127.0.0.1", 0), RtmpSettings.defaults(),
                request -> sink, PemTls.load(cert.certFile(), cert.keyFile()), null);
        open.add(server);
        return server;
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private Path trustStoreWith(SelfSignedCert cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(cert.certFile())) {
            ks.setCertificateEntry("node", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        Path store = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(store)) {
            ks.store(out, STORE_PASSWORD.toCharArray());
        }
        return store;
    }
}
