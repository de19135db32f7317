package com.streamloom.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.Ports;
import com.streamloom.media.testing.SyntheticPublisher;
import com.streamloom.node.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Invariant: a publisher's picture over the node's media.maxPicture is refused with a clear status; others play on. */
class EdgePictureLimitTest {
    private static final String GOOD_KEY = "good-publisher-key-0123456789";
    private static final String BIG_KEY = "big-publisher-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aPictureOverTheLimitIsRefusedWhileAStreamBesideItKeepsPlaying() throws Exception {
        Path cfg = Files.writeString(dir.resolve("edge.json"), """
                {"bindHost": "127.0.0.1", "advertiseHost": "127.0.0.1", "media": {"maxPicture": "640x360"},
                 "streams": [
                   {"key": "%s", "spec": {"name": "good", "encoding": {"bitrateKbps": 300},
                    "output": {"segmentSeconds": 1, "windowSegments": 4}}},
                   {"key": "%s", "spec": {"name": "big", "encoding": {"bitrateKbps": 300},
                    "output": {"segmentSeconds": 1, "windowSegments": 4}}}]}
                """.formatted(GOOD_KEY, BIG_KEY));
        NodeConfig config = NodeConfig.load(cfg, Map.of("STREAMLOOM_RTMP_PORT", String.valueOf(Ports.free()),
                "STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free())), 1935, 8081);
        try (EdgeNode edge = EdgeNode.start(config);
             SyntheticPublisher good = SyntheticPublisher.builder().size(320, 240).fps(15)
                     .publishTo("rtmp://127.0.0.1:" + edge.rtmpPort() + "/live/" + GOOD_KEY);
             SyntheticPublisher big = SyntheticPublisher.builder().size(1280, 720).fps(15)
                     .publishTo("rtmp://127.0.0.1:" + edge.rtmpPort() + "/live/" + BIG_KEY)) {
            URI goodPlaylist = URI.create("http://127.0.0.1:" + edge.httpPort() + "/hls/good/index.m3u8");
            URI streams = URI.create("http://127.0.0.1:" + edge.httpPort() + "/api/streams");

            JsonNode refused = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> stream(streams, "big"), s -> s != null && s.path("error").isTextual());
            assertThat(refused.path("error").asText())
                    .isEqualTo("picture 1280x720 is larger than the node's limit 640x360 (media.maxPicture)");
            assertThat(refused.path("state").asText()).isEqualTo("failed");
            assertThat(edge.streams().all().stream().filter(s -> s.spec().name().equals("big")).findFirst()
                    .orElseThrow().processor().framesDecoded()).as("nothing decoded for it").isZero();

            long before = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> lastSequence(goodPlaylist), s -> s >= 0);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .until(() -> lastSequence(goodPlaylist) > before + 1);
            assertThat(stream(streams, "good").path("state").asText()).isEqualTo("live");
            assertThat(stream(streams, "good").path("error").isTextual()).as("no error on the good stream").isFalse();
            assertThat(big.isRunning()).as("the refused publisher is told by its status, not cut off").isTrue();
        }
    }

    private static long lastSequence(URI playlist) {
        try {
            HlsProbe.Playlist p = HlsProbe.fetchPlaylist(playlist);
            return p.segments().isEmpty() ? -1 : p.last().sequence();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static JsonNode stream(URI streams, String name) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(streams).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (JsonNode s : JSON.readTree(body)) {
            if (name.equals(s.path("name").asText())) {
                return s;
            }
        }
        return null;
    }
}
