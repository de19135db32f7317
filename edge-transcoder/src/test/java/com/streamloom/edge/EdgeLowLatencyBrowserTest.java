package com.streamloom.edge;

import com.streamloom.media.testing.HeadlessChromium;
import com.streamloom.media.testing.SyntheticPublisher;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * LL-HLS end to end: a real edge (RTMP in, 2 s segments, 333 ms parts) and hls.js in headless Chromium. The player
 * page (lowLatencyMode) loads parts and plays about PART-HOLD-BACK behind the live edge; a second hls.js on the
 * same page, configured as the page was before LL-HLS (no lowLatencyMode, two segments from the edge), plays the
 * same stream for comparison. Latency is measured two ways: hls.js's own {@code latency} (live edge estimate minus
 * playback position) and wall clock minus {@code playingDate} (EXT-X-PROGRAM-DATE-TIME is the edge's arrival time
 * of the first sample, so this is ingest to screen; browser and edge share this machine's clock).
 */
class EdgeLowLatencyBrowserTest {
    static final String KEY = "ll-browser-test-key-0123456789";

    @Test
    void hlsJsInLowLatencyModeLoadsPartsAndPlaysCloserToLive() throws Exception {
        try (OneStreamEdge node = OneStreamEdge.withSpec(KEY, """
                {"name": "ll-cam",
                 "encoding": {"bitrateKbps": 600}, "output": {"segmentSeconds": 2, "windowSegments": 6}}""");
             SyntheticPublisher publisher = SyntheticPublisher.builder().size(320, 240).fps(25).colour("blue")
                     .publishTo("rtmp://127.0.0.1:" + node.edge.rtmpPort() + "/live/" + KEY)) {
            ChromeDriver browser = HeadlessChromium.start();
            try {
                String base = "http://127.0.0.1:" + node.edge.httpPort();
                browser.get(base + "/?stream=ll-cam");
                JavascriptExecutor js = browser;
                try {
                    await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                            .until(() -> number(js.executeScript(
                                    "return window.streamloomPlayer.video.currentTime;")) > 0.5);
                } catch (RuntimeException e) {
                    System.out.println("page state: " + js.executeScript("""
                            return [document.getElementById('status').textContent, typeof Hls,
                                    performance.getEntriesByType('resource').map(function (r) {
                                      return r.name + ' ' + r.responseStatus; }).join('\\n')];
                            """));
                    throw e;
                }
                js.executeScript("""
                        var h = window.streamloomPlayer.hls;
                        window.__ll = {parts: 0, fragments: 0};
                        h.on(Hls.Events.FRAG_LOADED, function (e, d) {
                          if (d.part) { window.__ll.parts++; } else { window.__ll.fragments++; }
                        });
                        var v = document.createElement('video');
                        v.muted = true;
                        document.body.appendChild(v);
                        var plain = new Hls({lowLatencyMode: false, liveSyncDurationCount: 2});
                        plain.on(Hls.Events.MANIFEST_PARSED, function () { v.play(); });
                        plain.loadSource(arguments[0]);
                        plain.attachMedia(v);
                        window.__plain = {hls: plain, video: v};
                        """, base + "/hls/ll-cam/index.m3u8");
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                        .until(() -> number(js.executeScript("return window.__plain.video.currentTime;")) > 0.5);
                Thread.sleep(6000); // both settle at their target distance from the edge

                List<double[]> samples = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    @SuppressWarnings("unchecked")
                    List<Object> s = (List<Object>) js.executeScript("""
                            var ll = window.streamloomPlayer.hls, plain = window.__plain.hls;
                            return [ll.latency, Date.now() - ll.playingDate.getTime(),
                                    plain.latency, Date.now() - plain.playingDate.getTime()];
                            """);
                    samples.add(s.stream().mapToDouble(EdgeLowLatencyBrowserTest::number).toArray());
                    Thread.sleep(500);
                }
                double llLatency = median(samples, 0);
                double llWall = median(samples, 1) / 1000;
                double plainLatency = median(samples, 2);
                double plainWall = median(samples, 3) / 1000;
                @SuppressWarnings("unchecked")
                Map<String, Object> loads = (Map<String, Object>) js.executeScript("return window.__ll;");
                System.out.printf("LL-HLS in hls.js: latency %.2f s, ingest->screen %.2f s, parts loaded %s, "
                                + "whole segments %s; before (no lowLatencyMode, 2 segments): latency %.2f s, "
                                + "ingest->screen %.2f s%n", llLatency, llWall, loads.get("parts"),
                        loads.get("fragments"), plainLatency, plainWall);

                assertThat(number(loads.get("parts"))).as("hls.js loads LL-HLS parts").isPositive();
                assertThat(llLatency).as("hls.js latency in lowLatencyMode").isLessThan(2.0);
                assertThat(llWall).as("ingest to screen, LL vs before").isLessThan(plainWall);
            } finally {
                browser.quit();
            }
            assertThat(publisher.isRunning()).isTrue();
        }
    }

    static double median(List<double[]> samples, int column) {
        double[] values = samples.stream().mapToDouble(s -> s[column]).sorted().toArray();
        return values[values.length / 2];
    }

    static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }
}
