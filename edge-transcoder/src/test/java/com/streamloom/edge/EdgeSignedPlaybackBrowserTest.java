package com.streamloom.edge;

import com.streamloom.media.testing.HeadlessChromium;
import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.SyntheticPublisher;
import com.streamloom.spec.PlaybackToken;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A signed stream plays in a browser (hls.js on the edge's player page, headless Chromium) with its playback token
 * and not without: the playlist request then answers 403 and no picture plays.
 */
class EdgeSignedPlaybackBrowserTest {
    static final String KEY = "pT6vH1xR9mQ4zW7kB2nJ5cY8sL3dF0gA";
    static final String PLAYBACK_KEY = "Jr5Xk2Lq8WvN3mTz7Bc4Hp9Ys1Df6Ga0";

    @Test
    void hlsJsPlaysASignedStreamWithItsTokenAndNotWithout() throws Exception {
        try (OneStreamEdge node = OneStreamEdge.withSpec(KEY, """
                {"name": "vault", "encoding": {"bitrateKbps": 600},
                 "output": {"segmentSeconds": 1, "windowSegments": 6, "playback": "signed"}}""", Map.of("STREAMLOOM_PLAYBACK_KEY", PLAYBACK_KEY));
             SyntheticPublisher publisher = SyntheticPublisher.builder().size(320, 240).fps(25).colour("green")
                     .publishTo("rtmp://127.0.0.1:" + node.edge.rtmpPort() + "/live/" + KEY)) {
            String token = PlaybackToken.sign(PLAYBACK_KEY, PlaybackToken.Kind.STREAM, "vault",
                    Instant.now().plusSeconds(600).getEpochSecond());
            URI signedPlaylist = URI.create(node.playlist + "?token=" + token);
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                    .until(() -> HlsProbe.fetchPlaylist(signedPlaylist).segments().size() >= 2);
            assertThat(HlsProbe.get(node.playlist).statusCode()).isEqualTo(403);

            String page = "http://127.0.0.1:" + node.edge.httpPort() + "/?stream=vault";
            ChromeDriver browser = HeadlessChromium.start();
            try {
                JavascriptExecutor js = browser;
                // without the token: hls.js's playlist request is refused with 403, nothing plays
                browser.get(page);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> number(
                        js.executeScript("var p = window.streamloomPlayer;"
                                + " return p && p.lastError ? p.lastError.status : 0;")) == 403);
                assertThat(number(js.executeScript("return document.getElementById('video').currentTime;")))
                        .isZero();
                assertThat(browser.findElement(By.id("status")).getText()).contains("playback token");
                assertThat(playlistRequests(js)).isNotEmpty();

                // with it: plays, and every segment and part it fetched carried the token from the playlist
                browser.get(page + "&token=" + token);
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(() -> number(
                        js.executeScript("var v = document.getElementById('video');"
                                + " return v.readyState >= 2 ? v.currentTime : 0;")) > 0.5);
                double first = number(js.executeScript("return document.getElementById('video').currentTime;"));
                Thread.sleep(2000);
                double later = number(js.executeScript("return document.getElementById('video').currentTime;"));
                assertThat(later).as("playback time advances").isGreaterThan(first + 1.0);
                @SuppressWarnings("unchecked")
                List<String> media = (List<String>) js.executeScript("return performance.getEntriesByType('resource')"
                        + ".map(function (e) { return e.name; }).filter(function (n) { return /\\.ts(\\?|$)/.test(n); });");
                assertThat(media).isNotEmpty().allSatisfy(uri -> assertThat(uri).contains("token=" + token));
            } finally {
                browser.quit();
            }
            assertThat(publisher.isRunning()).isTrue();
        }
    }

    /** Playlist requests the page made (to show the failing run did reach the node). */
    @SuppressWarnings("unchecked")
    private static List<String> playlistRequests(JavascriptExecutor js) {
        return (List<String>) js.executeScript("return performance.getEntriesByType('resource')"
                + ".map(function (e) { return e.name; }).filter(function (n) { return n.indexOf('index.m3u8') >= 0; });");
    }

    static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }
}
