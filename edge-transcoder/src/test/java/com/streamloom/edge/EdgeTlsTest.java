package com.streamloom.edge;

import com.streamloom.media.testing.FfmpegCli;
import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.SelfSignedCert;
import com.streamloom.media.testing.SyntheticPublisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** An edge given a certificate takes OBS-style rtmps:// ingest, serves its HLS over https:// and nothing in plain. */
class EdgeTlsTest {
    /** A random-looking stream key; the edge requires 16 characters or more. */
    static final String KEY = "v9Tq3LxW7mZr2KcY8pHn4JsD6fBa1GeU";
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static SelfSignedCert cert;
    static OneStreamEdge edge;
    static SyntheticPublisher publisher;
    static HttpClient https;

    @BeforeAll
    static void start() throws Exception {
        cert = SelfSignedCert.rsa(dir);
        edge = OneStreamEdge.withSpec(KEY, """
                {"name": "secure", "stages": [], "encoding": {"bitrateKbps": 600},
                 "output": {"segmentSeconds": 1, "windowSegments": 6}}""", Map.of(
                "STREAMLOOM_TLS_CERT_FILE", cert.certFile().toString(),
                "STREAMLOOM_TLS_KEY_FILE", cert.keyFile().toString()));
        https = HttpClient.newBuilder().sslContext(cert.trustingContext()).connectTimeout(REQUEST_TIMEOUT).build();
        assertThat(edge.server).startsWith("rtmps://");
        // the ffmpeg CLI, as OBS would with "rtmps://host:port/live" and the stream key
        publisher = SyntheticPublisher.builder().size(320, 240).fps(15).colour("red").toneHz(1000)
                .publishTo(edge.server + "/" + KEY);
    }

    @AfterAll
    static void stop() {
        if (publisher != null) {
            publisher.close();
        }
        if (edge != null) {
            edge.close();
        }
    }

    @Test
    void aStreamPublishedOverRtmpsPlaysOverHttps() throws Exception {
        assertThat(edge.playlist.getScheme()).isEqualTo("https");
        // a loaded machine encodes slowly: allow the first segments a minute
        HlsProbe.Playlist playlist = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> HlsProbe.parse(edge.playlist,
                        new String(get(edge.playlist).body(), StandardCharsets.UTF_8)), p -> p.segments().size() >= 2);
        URI segment = playlist.last().uri();
        assertThat(segment.getScheme()).isEqualTo("https");
        HttpResponse<byte[]> r = get(segment);
        assertThat(r.statusCode()).isEqualTo(200);
        HlsProbe.Media media = HlsProbe.decode(r.body());
        assertThat(media.pictures()).isNotEmpty().allSatisfy(p -> assertThat(p.width()).isEqualTo(320));
        assertThat(media.audio()).isNotNull();
    }

    @Test
    void plainRtmpOnTheRtmpsPortIsRefusedAndTheLiveStreamIsUnharmed() {
        FfmpegCli.Result r = FfmpegCli.run(Duration.ofSeconds(60), "-hide_banner", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=15", "-t", "2", "-c:v", "libx264", "-f", "flv",
                edge.server.replace("rtmps://", "rtmp://") + "/" + KEY);
        assertThat(r.exitCode()).isNotZero();
        assertThat(publisher.isRunning()).isTrue();
    }

    @Test
    void plainHttpOnTheHttpsPortGetsNoPlaylist() {
        URI plain = URI.create(edge.playlist.toString().replace("https://", "http://"));
        HttpClient client = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(plain).timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofByteArray())).isInstanceOf(IOException.class);
    }

    private static HttpResponse<byte[]> get(URI uri) throws IOException, InterruptedException {
        return https.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
