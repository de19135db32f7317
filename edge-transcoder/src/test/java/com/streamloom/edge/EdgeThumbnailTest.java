package com.streamloom.edge;

import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.SyntheticPublisher;
import com.streamloom.media.thumbnail.Thumbnail;
import com.streamloom.spec.PlaybackToken;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A live stream's thumbnail.jpg is its latest picture at the asked width, cached per picture, bounded in width and under the playlist's access rule. */
class EdgeThumbnailTest {
    static final String KEY = "tH7mQ2xR9vK4zW1bN6cJ3pY8sL5dF0gE";
    static final String PLAYBACK_KEY = "Qm4Tz8Wk1Rx6Vn3Lp9Hc2Bj7Ys5Dg0Fa";

    @Test
    void servesTheLatestPictureScaledCachedAndOnlyWithTheToken() throws Exception {
        try (OneStreamEdge node = OneStreamEdge.withSpec(KEY, """
                {"name": "lobby", "encoding": {"bitrateKbps": 800},
                 "output": {"segmentSeconds": 1, "windowSegments": 6, "playback": "signed"}}""",
                Map.of("STREAMLOOM_PLAYBACK_KEY", PLAYBACK_KEY))) {
            String token = PlaybackToken.sign(PLAYBACK_KEY, PlaybackToken.Kind.STREAM, "lobby",
                    Instant.now().plusSeconds(600).getEpochSecond());
            String base = "http://127.0.0.1:" + node.edge.httpPort() + "/hls/lobby/";

            // no publisher yet: the stream exists but has no picture
            HttpResponse<byte[]> before = HlsProbe.get(URI.create(base + "thumbnail.jpg?token=" + token));
            assertThat(before.statusCode()).isEqualTo(404);
            assertThat(new String(before.body())).contains("has no picture yet");

            // red, with a blue box over the top-right quarter
            try (SyntheticPublisher publisher = SyntheticPublisher.builder().size(160, 120).fps(15).colour("red")
                    .box(80, 0, 80, 60, "blue").toneHz(0).videoKbps(300)
                    .publishTo("rtmp://127.0.0.1:" + node.edge.rtmpPort() + "/live/" + KEY)) {
                URI thumbnail = URI.create(base + "thumbnail.jpg?width=320&token=" + token);
                HttpResponse<byte[]> first = await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300))
                        .until(() -> HlsProbe.get(thumbnail), r -> r.statusCode() == 200);
                assertThat(first.headers().firstValue("Content-Type")).hasValue("image/jpeg");
                assertThat(first.headers().firstValue("Cache-Control")).hasValue("private, max-age=1");
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(first.body()));
                assertThat(image.getWidth()).isEqualTo(320);
                assertThat(image.getHeight()).as("4:3 kept").isEqualTo(240);
                assertThat(mean(image, 20, 140, 120, 220)).as("bottom-left is red").satisfies(rgb -> {
                    assertThat(rgb[0]).isGreaterThan(180);
                    assertThat(rgb[1]).isLessThan(80);
                    assertThat(rgb[2]).isLessThan(80);
                });
                assertThat(mean(image, 180, 20, 300, 100)).as("top-right is blue").satisfies(rgb -> {
                    assertThat(rgb[0]).isLessThan(80);
                    assertThat(rgb[1]).isLessThan(80);
                    assertThat(rgb[2]).isGreaterThan(180);
                });

                // many requests for one picture cost one encode: two requests in a row (not across a new picture,
                // which comes every second) give the same bytes and one encode between them
                Thumbnail kept = node.edge.streams().thumbnail("lobby");
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    long encodesBefore = kept.encodes();
                    byte[] a = HlsProbe.get(thumbnail).body();
                    byte[] b = HlsProbe.get(thumbnail).body();
                    return Arrays.equals(a, b) && kept.encodes() - encodesBefore == 1;
                });
                // a newer picture comes within the keep interval (1 s): the next request encodes it
                long encodes = kept.encodes();
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    HlsProbe.get(thumbnail);
                    return kept.encodes() > encodes;
                });

                // width bounds and syntax: 400 with the reason
                for (String width : new String[]{"15", "1921", "abc", "-5", "320&width=640", "99999999999"}) {
                    HttpResponse<byte[]> bad = HlsProbe.get(URI.create(base + "thumbnail.jpg?width=" + width
                            + "&token=" + token));
                    assertThat(bad.statusCode()).as("width=" + width).isEqualTo(400);
                    assertThat(new String(bad.body())).contains("width must be a whole number from 16 to 1920");
                }
                HttpResponse<byte[]> smallest = HlsProbe.get(URI.create(base + "thumbnail.jpg?width=16&token=" + token));
                BufferedImage icon = ImageIO.read(new ByteArrayInputStream(smallest.body()));
                assertThat(icon.getWidth()).isEqualTo(16);
                assertThat(icon.getHeight()).isEqualTo(12);
                HttpResponse<byte[]> fallback = HlsProbe.get(URI.create(base + "thumbnail.jpg?token=" + token));
                assertThat(ImageIO.read(new ByteArrayInputStream(fallback.body())).getWidth()).as("default width")
                        .isEqualTo(320);

                // without a token, or with another stream's, the same refusal as the playlist's
                for (String query : new String[]{"", "?token=" + PlaybackToken.sign(PLAYBACK_KEY,
                        PlaybackToken.Kind.STREAM, "other", Instant.now().plusSeconds(600).getEpochSecond())}) {
                    HttpResponse<byte[]> playlist = HlsProbe.get(URI.create(base + "index.m3u8" + query));
                    HttpResponse<byte[]> refused = HlsProbe.get(URI.create(base + "thumbnail.jpg" + query));
                    assertThat(playlist.statusCode()).isEqualTo(403);
                    assertThat(refused.statusCode()).isEqualTo(403);
                    assertThat(new String(refused.body())).isEqualTo(new String(playlist.body()));
                }
            }
        }
    }

    /** Mean R, G, B over the rectangle [x0, x1) x [y0, y1). */
    private static double[] mean(BufferedImage image, int x0, int y0, int x1, int y1) {
        double[] sum = new double[3];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int rgb = image.getRGB(x, y);
                sum[0] += (rgb >> 16) & 0xff;
                sum[1] += (rgb >> 8) & 0xff;
                sum[2] += rgb & 0xff;
            }
        }
        int n = (x1 - x0) * (y1 - y0);
        return new double[]{sum[0] / n, sum[1] / n, sum[2] / n};
    }
}
