package com.streamloom.edge;

import com.streamloom.media.testing.HeadlessChromium;
import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.Ports;
import com.streamloom.media.testing.SyntheticPublisher;
import com.streamloom.node.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A player open across an edge restart plays on: the edge stops and starts again on the same ports, the publisher
 * reconnects, the playlist's numbers continue above what the player saw with the gap marked, and the player page's
 * hls.js (low-latency mode) keeps playing without a fatal error.
 */
class EdgeRestartBrowserTest {
    static final String KEY = "restart-browser-key-0123456789";

    @TempDir
    Path data;

    @Test
    void hlsJsPlaysOnThroughAnEdgeRestart() throws Exception {
        NodeConfig config = config();
        URI playlist = URI.create("http://127.0.0.1:" + config.httpPort() + "/hls/cam/index.m3u8");
        String ingest = "rtmp://127.0.0.1:" + config.rtmpPort() + "/live/" + KEY;
        EdgeNode edge = EdgeNode.start(config);
        SyntheticPublisher publisher = publish(ingest);
        ChromeDriver browser = HeadlessChromium.start();
        try {
            browser.get("http://127.0.0.1:" + config.httpPort() + "/?stream=cam");
            JavascriptExecutor js = browser;
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> currentTime(js) > 0.5);
            js.executeScript("""
                    var h = window.streamloomPlayer.hls;
                    var w = window.__watch = {hls: h, fatal: [], events: []};
                    h.on(Hls.Events.ERROR, function (e, d) {
                      if (d.fatal) { w.fatal.push(d.details); }
                      w.events.push('error ' + d.details + (d.fatal ? ' fatal' : '') + ' '
                          + (d.response ? d.response.code : '') + ' ' + (d.url || (d.frag ? d.frag.url : '')));
                    });
                    h.on(Hls.Events.LEVEL_LOADED, function (e, d) {
                      w.events.push('level ' + d.details.startSN + '-' + d.details.endSN + ' cc ' + d.details.startCC
                          + '-' + d.details.endCC + ' t=' + window.streamloomPlayer.video.currentTime);
                    });
                    """);
            HlsProbe.Playlist before = HlsProbe.fetchPlaylist(playlist);
            long seenUpTo = before.discontinuitySequence() + before.discontinuities();

            publisher.close();
            edge.close();
            double atStop = currentTime(js);
            edge = EdgeNode.start(config);
            publisher = publish(ingest);

            HlsProbe.Playlist after = await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> HlsProbe.fetchPlaylist(playlist), p -> !p.segments().isEmpty());
            assertThat(after.mediaSequence()).as("media sequence never goes back")
                    .isGreaterThan(before.last().sequence());
            assertThat(after.discontinuitySequence()).as("discontinuity sequence never goes back")
                    .isGreaterThanOrEqualTo(seenUpTo);
            assertThat(after.discontinuitySequence() + after.discontinuities())
                    .as("the new segments lie beyond the player's last discontinuity").isGreaterThan(seenUpTo);

            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> currentTime(js) > atStop + 3);
            } catch (RuntimeException e) {
                System.out.println("stopped at " + atStop + "; now " + currentTime(js) + "; page: " + js.executeScript(
                        "return document.getElementById('status').textContent + '\\n'"
                                + " + window.__watch.events.slice(-60).join('\\n');"));
                throw e;
            }
            @SuppressWarnings("unchecked")
            List<Object> fatal = (List<Object>) js.executeScript("return window.__watch.fatal;");
            assertThat(fatal).as("fatal hls.js errors across the restart").isEmpty();
            assertThat(js.executeScript("return window.streamloomPlayer.hls === window.__watch.hls;"))
                    .as("the same hls.js instance played on (the page did not start the player again)")
                    .isEqualTo(true);
        } finally {
            browser.quit();
            publisher.close();
            edge.close();
        }
    }

    private NodeConfig config() throws Exception {
        Path file = data.resolve("edge.json");
        Files.writeString(file, """
                {"bindHost": "127.0.0.1", "advertiseHost": "127.0.0.1",
                 "streams": [{"key": "%s", "spec": {"name": "cam", "encoding": {"bitrateKbps": 600},
                   "output": {"segmentSeconds": 1, "windowSegments": 4}}}]}
                """.formatted(KEY));
        return NodeConfig.load(file, Map.of("STREAMLOOM_RTMP_PORT", String.valueOf(Ports.free()),
                "STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free()), "STREAMLOOM_DATA", data.toString()),
                1935, 8081);
    }

    private static SyntheticPublisher publish(String url) {
        return SyntheticPublisher.builder().size(320, 240).fps(25).colour("blue").publishTo(url);
    }

    private static double currentTime(JavascriptExecutor js) {
        Object value = js.executeScript("return window.streamloomPlayer.video.currentTime;");
        return value instanceof Number n ? n.doubleValue() : 0;
    }
}
