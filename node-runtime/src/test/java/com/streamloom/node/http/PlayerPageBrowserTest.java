package com.streamloom.node.http;

import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsSettings;
import com.streamloom.media.hls.HlsStreams;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.PacketsForTests;
import com.streamloom.media.testing.PacketsForTests.Source;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The player page in a real browser: headless Chromium (Debian's, through chromedriver) opens {@code /?stream=...},
 * hls.js (served from the classpath) loads the live playlist that a packager fed in real time produces, and playback
 * time advances.
 */
class PlayerPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;

    @Test
    void playsALiveStreamWithHlsJs() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)).as(
                "needs Debian's chromium and chromium-driver (.ci/run installs them)").isTrue();
        List<MediaPacket> source = PacketsForTests.packets(dir, "live", Source.small(4));
        HlsStreams streams = new HlsStreams();
        HlsPackager packager = new HlsPackager("cam-1", new HlsSettings(1_000_000, 6,
                HlsSettings.DEFAULT_PART_MICROS, null), Clock.systemUTC());
        streams.register(packager);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread publisher = new Thread(() -> publishInRealTime(source, packager, running), "test-publisher");
        publisher.setDaemon(true);
        try (MediaHttpServer server = new MediaHttpServer(HttpServerSettings.defaults(0).withHost("127.0.0.1"),
                streams, null)) {
            server.route(HttpMethod.GET, "/api/streams", request -> ApiResponse.json(List.of(Map.of(
                    "name", "cam-1", "state", packager.playlist() == null ? "STARTING" : "LIVE",
                    "playbackUrl", "/hls/cam-1/index.m3u8"))));
            server.start();
            publisher.start();

            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                    .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--mute-audio",
                            "--autoplay-policy=no-user-gesture-required", "--window-size=800,600");
            ChromeDriver browser = new ChromeDriver(service, options);
            try {
                browser.get("http://127.0.0.1:" + server.port() + "/?stream=cam-1");
                JavascriptExecutor js = browser;
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(() ->
                        number(js.executeScript("var v = document.getElementById('video');"
                                + " return v.readyState >= 2 ? v.currentTime : 0;")) > 1.0);
                double first = number(js.executeScript("return document.getElementById('video').currentTime;"));
                Thread.sleep(1500);
                double later = number(js.executeScript("return document.getElementById('video').currentTime;"));
                assertThat(later).as("playback time advances").isGreaterThan(first + 0.5);
                assertThat(browser.findElement(org.openqa.selenium.By.id("streams")).getText()).contains("cam-1");
                assertThat(js.executeScript("return document.getElementById('status').dataset.state;"))
                        .isEqualTo("playing");
                assertThat(js.executeScript("return window.Hls && Hls.version;")).isEqualTo("1.7.4");
            } finally {
                browser.quit();
            }
        } finally {
            running.set(false);
            publisher.join(5000);
        }
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    /** Loops the source with continuous timestamps, each packet at its media time: a live publisher. */
    private static void publishInRealTime(List<MediaPacket> source, HlsPackager packager, AtomicBoolean running) {
        source.stream().filter(MediaPacket::config).forEach(packager::accept);
        List<MediaPacket> media = source.stream().filter(p -> !p.config()).toList();
        long loop = media.get(media.size() - 1).dtsMicros() + 33_333;
        long startNanos = System.nanoTime();
        for (long shift = 0; running.get(); shift += loop) {
            for (MediaPacket p : media) {
                long due = startNanos + (p.dtsMicros() + shift) * 1000;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!running.get()) {
                    return;
                }
                packager.accept(p.withTimes(p.ptsMicros() + shift, p.dtsMicros() + shift));
            }
        }
    }
}
