package com.streamloom.edge;

import com.streamloom.media.testing.HeadlessChromium;
import com.streamloom.media.testing.SyntheticPublisher;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The player page as a person would check it: the edge's player page, in headless Chromium, lists the live stream,
 * plays it with hls.js (playback time advances), and the picture on screen is the filtered one: a strongly
 * coloured source through a grayscale stage shows no colour.
 */
class EdgePlayerBrowserTest {
    static final String KEY = "browser-test-key-0123456789";

    @Test
    void playerPageListsThePlaysTheFilteredStream() throws Exception {
        try (OneStreamEdge node = OneStreamEdge.withSpec(KEY, """
                {"name": "gray-cam", "stages": [{"type": "grayscale"}],
                 "encoding": {"bitrateKbps": 600}, "output": {"segmentSeconds": 1, "windowSegments": 4}}""");
             SyntheticPublisher publisher = SyntheticPublisher.builder().size(320, 240).fps(25).colour("blue")
                     .publishTo("rtmp://127.0.0.1:" + node.edge.rtmpPort() + "/live/" + KEY)) {
            ChromeDriver browser = HeadlessChromium.start();
            try {
                browser.get("http://127.0.0.1:" + node.edge.httpPort() + "/");
                JavascriptExecutor js = browser;
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> browser.findElement(By.id("streams")).getText().contains("gray-cam"));
                browser.findElement(By.xpath("//*[@id='streams']//*[contains(text(),'gray-cam')]")).click();
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(() -> number(
                        js.executeScript("var v = document.getElementById('video');"
                                + " return v.readyState >= 2 ? v.currentTime : 0;")) > 0.5);
                double first = number(js.executeScript("return document.getElementById('video').currentTime;"));
                Thread.sleep(2000);
                double later = number(js.executeScript("return document.getElementById('video').currentTime;"));
                assertThat(later).as("playback time advances").isGreaterThan(first + 1.0);

                WebElement video = browser.findElement(By.id("video"));
                BufferedImage shot = ImageIO.read(new ByteArrayInputStream(video.getScreenshotAs(OutputType.BYTES)));
                double chroma = meanChroma(shot);
                assertThat(chroma).as("mean |R-G|+|G-B| of the played picture (blue source, grayscale stage)")
                        .isLessThan(6);
                double brightness = meanLuma(shot);
                assertThat(brightness).as("the picture is not black: something is played").isGreaterThan(10);
            } finally {
                browser.quit();
            }
            assertThat(publisher.isRunning()).isTrue();
        }
    }

    static double meanChroma(BufferedImage img) {
        long sum = 0;
        long n = 0;
        for (int y = img.getHeight() / 4; y < img.getHeight() * 3 / 4; y += 2) {
            for (int x = img.getWidth() / 4; x < img.getWidth() * 3 / 4; x += 2) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
                sum += Math.abs(r - g) + Math.abs(g - b);
                n++;
            }
        }
        return (double) sum / n;
    }

    static double meanLuma(BufferedImage img) {
        long sum = 0;
        long n = 0;
        for (int y = img.getHeight() / 4; y < img.getHeight() * 3 / 4; y += 2) {
            for (int x = img.getWidth() / 4; x < img.getWidth() * 3 / 4; x += 2) {
                int rgb = img.getRGB(x, y);
                sum += ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
                n++;
            }
        }
        return sum / 3.0 / n;
    }

    static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }
}
