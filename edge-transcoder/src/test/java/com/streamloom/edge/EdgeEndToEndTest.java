package com.streamloom.edge;

import com.streamloom.node.NodeConfig;
import com.streamloom.media.testing.FfmpegCli;
import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.Ports;
import com.streamloom.media.testing.SyntheticPublisher;
import com.streamloom.spec.StageSpec;
import com.streamloom.spec.StreamSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The edge slice end to end with real peers: the ffmpeg CLI publishes H.264 + AAC over RTMP like OBS does, the edge
 * runs a grayscale + text pipeline, and the HLS it serves is fetched over HTTP and decoded by FFmpeg.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeEndToEndTest {
    static final String KEY = "k3y-for-tests-0123456789";
    static EdgeNode edge;
    static SyntheticPublisher publisher;
    static URI playlist;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startEdge() throws Exception {
        Path cfg = Files.createTempFile("edge", ".json");
        Files.writeString(cfg, """
                {"bindHost": "127.0.0.1", "advertiseHost": "127.0.0.1", "nodeToken": "Ns7-Qx2Lw9Rk4Tz8Vm3Pc6Hb",
                 "streams": [{"key": "%s", "spec": {"name": "studio",
                   "stages": [{"type": "grayscale"}, {"type": "text", "text": "{stream}", "fontSize": 20}],
                   "encoding": {"bitrateKbps": 800}, "output": {"segmentSeconds": 1, "windowSegments": 4}}}]}
                """.formatted(KEY));
        edge = EdgeNode.start(NodeConfig.load(cfg, Map.of("STREAMLOOM_RTMP_PORT", String.valueOf(Ports.free()),
                "STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free())), 1935, 8081));
        playlist = URI.create("http://127.0.0.1:" + edge.httpPort() + "/hls/studio/index.m3u8");
        publisher = publish();
    }

    static SyntheticPublisher publish() {
        return SyntheticPublisher.builder().size(320, 240).fps(30).colour("red").toneHz(1000)
                .publishTo("rtmp://127.0.0.1:" + edge.rtmpPort() + "/live/" + KEY);
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

    static HlsProbe.Playlist awaitSegments(int n) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            try {
                return HlsProbe.fetchPlaylist(playlist);
            } catch (RuntimeException e) {
                return null;
            }
        }, p -> p != null && p.segments().size() >= n);
    }

    @Test
    @Order(1)
    void publishedStreamComesOutAsGrayscaleHlsWithAudio() {
        HlsProbe.Playlist p = awaitSegments(2);
        assertThat(p.targetDuration()).isLessThanOrEqualTo(2);
        HlsProbe.Media media = HlsProbe.decode(HlsProbe.download(p.last().uri()));
        assertThat(media.pictures()).isNotEmpty();
        for (HlsProbe.Picture pic : media.pictures()) {
            assertThat(pic.width()).isEqualTo(320);
            HlsProbe.YuvMean m = pic.regions().get(0);
            // red has chroma far from neutral (V ~ 240); grayscale must leave both planes at 128
            assertThat(m.u()).isCloseTo(128, org.assertj.core.data.Offset.offset(2.0));
            assertThat(m.v()).isCloseTo(128, org.assertj.core.data.Offset.offset(2.0));
            assertThat(m.y()).isBetween(40.0, 120.0);
        }
        assertThat(media.audio()).isNotNull();
        assertThat(media.audio().toneLevel(1000)).isGreaterThan(10 * media.audio().toneLevel(400));
    }

    @Test
    @Order(2)
    void playlistsAreNotCachedAndAllowOtherOrigins() {
        HttpResponse<byte[]> r = HlsProbe.get(playlist);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/vnd.apple.mpegurl"));
        assertThat(r.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-cache"));
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(new String(r.body())).contains("#EXT-X-PROGRAM-DATE-TIME").doesNotContain(KEY);
    }

    @Test
    @Order(3)
    void wrongKeyIsRefusedAndTheLiveStreamIsUnharmed() {
        HlsProbe.Playlist before = awaitSegments(2);
        FfmpegCli.Result r = FfmpegCli.run(Duration.ofSeconds(20), "-hide_banner", "-re", "-f", "lavfi", "-i",
                "testsrc2=size=160x120:rate=15", "-t", "3", "-c:v", "libx264", "-f", "flv",
                "rtmp://127.0.0.1:" + edge.rtmpPort() + "/live/wrong-key-0000000000");
        assertThat(r.exitCode()).isNotZero();
        assertThat(publisher.isRunning()).isTrue();
        HlsProbe.Playlist after = awaitSegments(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> HlsProbe.fetchPlaylist(playlist).last().sequence()
                > before.last().sequence());
        assertThat(after.discontinuities()).isEqualTo(before.discontinuities());
    }

    @Test
    @Order(4)
    void aSecondPublisherOnALiveKeyIsRefused() {
        // The wrong key just before put this address in back-off (1 s): try until the answer is about the stream.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            FfmpegCli.Result r = FfmpegCli.run(Duration.ofSeconds(20), "-hide_banner", "-re", "-f", "lavfi", "-i",
                    "testsrc2=size=160x120:rate=15", "-t", "3", "-c:v", "libx264", "-f", "flv",
                    "rtmp://127.0.0.1:" + edge.rtmpPort() + "/live/" + KEY);
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.stderr()).contains("is already publishing");
        });
        assertThat(publisher.isRunning()).isTrue();
    }

    @Test
    @Order(5)
    void stagesChangeOnTheLiveStreamWithoutRestartingIt() throws Exception {
        long seqBefore = awaitSegments(2).last().sequence();
        StreamSpec colour = edge.streams().get("studio").spec().withStages(List.of(new StageSpec("text",
                Map.of("text", "{stream}"))));
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.httpPort()
                        + "/api/streams/studio")).header("Authorization", "Bearer Ns7-Qx2Lw9Rk4Tz8Vm3Pc6Hb")
                .PUT(HttpRequest.BodyPublishers.ofString(new com.fasterxml.jackson.databind.ObjectMapper()
                        .writeValueAsString(colour))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            HlsProbe.Playlist p = HlsProbe.fetchPlaylist(playlist);
            HlsProbe.Media m = HlsProbe.decode(HlsProbe.download(p.last().uri()));
            assertThat(m.pictures().get(m.pictures().size() - 1).regions().get(0).v()).isGreaterThan(160);
        });
        HlsProbe.Playlist after = HlsProbe.fetchPlaylist(playlist);
        assertThat(after.last().sequence()).isGreaterThan(seqBefore);
        assertThat(after.discontinuities()).as("a live stage change is not a discontinuity").isZero();
    }

    @Test
    @Order(6)
    void aPublisherThatComesBackContinuesThePlaylistAfterADiscontinuity() {
        long seqBefore = awaitSegments(2).last().sequence();
        publisher.close();
        publisher = publish();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            HlsProbe.Playlist p = HlsProbe.fetchPlaylist(playlist);
            return p.discontinuities() + p.discontinuitySequence() >= 1 && p.last().sequence() > seqBefore + 1;
        });
        HlsProbe.Playlist p = HlsProbe.fetchPlaylist(playlist);
        assertThat(p.mediaSequence()).isGreaterThan(0);
        long prev = -1;
        for (HlsProbe.Segment s : p.segments()) {
            assertThat(s.sequence()).isGreaterThan(prev);
            prev = s.sequence();
        }
    }

    @Test
    @Order(7)
    void anEncodingChangeRebuildsTheEncoderBehindTheSamePublisherAndPlaylist() throws Exception {
        HlsProbe.Playlist before = awaitSegments(2);
        StreamSpec current = edge.streams().get("studio").spec();
        String changed = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(current)
                .replace("\"bitrateKbps\":" + current.encoding().bitrateKbps(),
                        "\"bitrateKbps\":" + (current.encoding().bitrateKbps() + 300));
        assertThat(changed).as("the test changes the encoding").isNotEqualTo(
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(current));
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.httpPort()
                        + "/api/streams/studio")).header("Authorization", "Bearer Ns7-Qx2Lw9Rk4Tz8Vm3Pc6Hb")
                .PUT(HttpRequest.BodyPublishers.ofString(changed)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(put.body()).contains("\"rebuilt\":true");

        // the publisher is still connected and feeds the rebuilt pipeline: the playlist goes on, marked at the gap
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            HlsProbe.Playlist p = HlsProbe.fetchPlaylist(playlist);
            return p.last().sequence() > before.last().sequence() + 2
                    && p.discontinuities() + p.discontinuitySequence()
                    > before.discontinuities() + before.discontinuitySequence();
        });
        assertThat(publisher.isRunning()).as("the publisher was not dropped").isTrue();
        assertThat(edge.streams().get("studio").state()).isEqualTo("live");
        assertThat(edge.streams().get("studio").spec().encoding().bitrateKbps())
                .isEqualTo(current.encoding().bitrateKbps() + 300);
        HlsProbe.Playlist after = HlsProbe.fetchPlaylist(playlist);
        assertThat(after.mediaSequence()).isGreaterThanOrEqualTo(before.mediaSequence());
    }

    @Test
    @Order(8)
    void captionsNeedTheNodeTokenAndMetricsExportThePipeline() throws Exception {
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + edge.httpPort() + "/api/streams/studio/captions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + edge.httpPort() + "/api/streams/studio/captions")).header("Authorization", "Bearer Ns7-Qx2Lw9Rk4Tz8Vm3Pc6Hb")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"你好\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(202);

        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.httpPort()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        // every metric the Grafana dashboard charts must be exported
        String dashboard = Files.readString(Path.of("..", "deploy", "observability", "grafana", "dashboards",
                "streamloom.json"));
        for (String name : List.of("streamloom_pipeline_fps", "streamloom_pipeline_latency_seconds",
                "streamloom_pipeline_frames_dropped_total", "streamloom_stage_time_seconds_total",
                "streamloom_stage_frames_total", "process_cpu_usage", "streamloom_process_resident_bytes")) {
            assertThat(dashboard).contains(name);
            assertThat(metrics).contains(name);
        }
        assertThat(metrics).contains("stream=\"studio\"").doesNotContain(KEY);
    }
}
