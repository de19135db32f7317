package com.streamloom.compositor;

import com.streamloom.node.NodeConfig;
import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.Ports;
import com.streamloom.spec.PlaybackToken;
import com.streamloom.spec.PlaybackToken.Kind;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A composition with {@code output.playback: signed} serves its HLS and its thumbnail only with a composition token
 * for its name: not without one, and not with a stream's token for the same name.
 */
class CompositorSignedPlaybackTest {
    static final String PLAYBACK_KEY = "Zt4Wq8Ne2Rx6Bm0Kc3Lv7Hs1Yd5Fj9Pa";

    @Test
    void aSignedCompositionPlaysOnlyWithItsOwnToken() throws Exception {
        Path cfg = Files.createTempFile("compositor", ".json");
        Files.writeString(cfg, """
                {"bindHost": "127.0.0.1", "advertiseHost": "127.0.0.1", "playbackKey": "%s",
                 "compositions": [{"name": "wall", "canvas": {"width": 320, "height": 180, "fps": 10},
                   "inputs": [{"stream": "nobody-publishes-this"}],
                   "output": {"segmentSeconds": 1, "windowSegments": 4, "playback": "signed"}}]}
                """.formatted(PLAYBACK_KEY));
        try (CompositorNode node = CompositorNode.start(NodeConfig.load(cfg, Map.of(
                "STREAMLOOM_RTMP_PORT", String.valueOf(Ports.free()),
                "STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free())), 1936, 8082))) {
            long expiry = Instant.now().plusSeconds(600).getEpochSecond();
            URI playlist = URI.create("http://127.0.0.1:" + node.httpPort() + "/hls/wall/index.m3u8");
            URI signed = URI.create(playlist + "?token=" + PlaybackToken.sign(PLAYBACK_KEY, Kind.COMPOSITION,
                    "wall", expiry));
            // the slate plays while no input is live, so the composition has segments without any publisher
            HlsProbe.Playlist served = await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300))
                    .ignoreExceptions().until(() -> HlsProbe.fetchPlaylist(signed), p -> p.segments().size() >= 1);
            assertThat(HlsProbe.get(served.last().uri()).statusCode()).isEqualTo(200);
            assertThat(served.last().uri().getQuery()).isEqualTo(signed.getQuery());

            assertThat(HlsProbe.get(playlist).statusCode()).isEqualTo(403);
            URI streamToken = URI.create(playlist + "?token=" + PlaybackToken.sign(PLAYBACK_KEY, Kind.STREAM,
                    "wall", expiry));
            assertThat(HlsProbe.get(streamToken).statusCode()).isEqualTo(403);
            URI bare = URI.create(served.last().uri().toString().replaceAll("\\?.*", ""));
            assertThat(HlsProbe.get(bare).statusCode()).isEqualTo(403);

            // the composition's thumbnail (its slate now) under the same rule: the canvas at the asked width
            URI thumbnail = URI.create("http://127.0.0.1:" + node.httpPort() + "/hls/wall/thumbnail.jpg?width=160");
            var picture = HlsProbe.get(URI.create(thumbnail + "&" + signed.getQuery()));
            assertThat(picture.statusCode()).isEqualTo(200);
            assertThat(picture.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(picture.body()));
            assertThat(image.getWidth()).isEqualTo(160);
            assertThat(image.getHeight()).as("the canvas's 16:9").isEqualTo(90);
            assertThat(HlsProbe.get(thumbnail).statusCode()).isEqualTo(403);
            assertThat(HlsProbe.get(URI.create(thumbnail + "&" + streamToken.getQuery())).statusCode())
                    .isEqualTo(403);
        } finally {
            Files.deleteIfExists(cfg);
        }
    }
}
