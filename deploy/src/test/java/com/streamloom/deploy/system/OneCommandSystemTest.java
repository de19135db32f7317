package com.streamloom.deploy.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.streamloom.media.testing.FfmpegCli;
import com.streamloom.media.testing.HeadlessChromium;
import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.SyntheticPublisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.streamloom.deploy.system.Screenshots.brightShare;
import static com.streamloom.deploy.system.Screenshots.isRed;
import static com.streamloom.deploy.system.Screenshots.meanRgb;
import static com.streamloom.deploy.system.Screenshots.screenshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a new user meets first: {@code deploy/local/up.sh --demo} starts control API, edge and
 * compositor and prints its four lines; the dashboard in headless Chromium logs in with the token, creates a
 * stream and shows its OBS settings, plays it once a publisher (FFmpeg) pushes to those settings, shows a caption
 * typed in the caption box in the picture, and plays a composition of two streams; Ctrl-C stops everything and a
 * second start keeps every stream and composition. The dashboard causes no Content-Security-Policy violation, and
 * after all of that plus a key rotation and wrong keys, no API answer or log line holds a token, a key or a key's
 * hash.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OneCommandSystemTest {
    static Path data;
    static UpScript up;
    static Map<String, String> lines;
    static ControlApiClient api;
    static ChromeDriver browser;
    static SyntheticPublisher publisher;
    /** The key the dashboard showed for the stream it created (rotated later, then tried as a wrong key). */
    static String browserCamKey;
    /** How every log line and up.sh's own lines start: 2026-12-03T14:05:09.123Z. */
    static final String ISO_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z ";

    @BeforeAll
    static void start() throws Exception {
        data = Files.createTempDirectory("streamloom-up");
        up = new UpScript(data);
        lines = up.start(Duration.ofMinutes(4), "--demo");
        api = new ControlApiClient("http://127.0.0.1:" + up.apiPort, lines.get("TOKEN"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (publisher != null) {
            publisher.close();
        }
        if (browser != null) {
            browser.quit();
        }
        if (up != null) {
            up.close();
        }
    }

    @Test
    @Order(1)
    void upPrintsItsLinesAndTheDemoStreamPlays() throws IOException, InterruptedException {
        assertThat(lines.get("DASHBOARD")).isEqualTo("http://127.0.0.1:" + up.apiPort + "/");
        assertThat(lines.get("TOKEN")).hasSizeGreaterThanOrEqualTo(20);
        assertThat(lines.get("OBS")).matches("server=rtmp://127\\.0\\.0\\.1:" + up.edgeRtmp + "/live key=\\S{20,}");
        assertThat(lines.get("WATCH")).isEqualTo("http://127.0.0.1:" + up.edgeHttp + "/hls/demo/index.m3u8");
        HlsProbe.Playlist p = await("the demo publisher's stream plays").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> HlsProbe.fetchPlaylist(URI.create(lines.get("WATCH"))), pl -> pl.segments().size() >= 2);
        assertThat(HlsProbe.decode(HlsProbe.download(p.last().uri())).pictures()).isNotEmpty();

        // up.sh made a metrics token for Prometheus and gave it to the control API: it reads /q/metrics, nothing else.
        String metricsToken = Files.readString(data.resolve("metrics-token")).trim();
        assertThat(metricsToken).hasSizeGreaterThanOrEqualTo(20).isNotEqualTo(lines.get("TOKEN"));
        assertThat(up.output()).anySatisfy(l -> assertThat(l).contains(data.resolve("metrics-token").toString()));
        HttpResponse<String> metrics = getWith(metricsToken, "/q/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE streamloom_nodes_up gauge");
        assertThat(getWith(metricsToken, "/api/v1/streams").statusCode()).isEqualTo(403);

        // Secrets on disk are readable by their owner only, and no process shows one on its command line (ps).
        String demoKey = Files.readString(data.resolve("demo-key")).trim();
        for (String file : List.of("demo-key", "admin-token", "metrics-token")) {
            assertThat(Files.getPosixFilePermissions(data.resolve(file))).as(file)
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(f -> f.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")),
                            java.nio.charset.StandardCharsets.UTF_8);
                    assertThat(cmdline).as("command line of pid %s", proc.getFileName()).doesNotContain(demoKey)
                            .doesNotContain(lines.get("TOKEN")).doesNotContain(metricsToken);
                } catch (IOException gone) {
                    // the process ended while we listed them
                }
            }
        }
    }

    static HttpResponse<String> getWith(String token, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + up.apiPort + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(2)
    void dashboardLogsInCreatesAStreamAndShowsItsObsSettings() throws Exception {
        browser = HeadlessChromium.start();
        // Record every Content-Security-Policy violation the dashboard causes, from the first script on.
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "window.cspViolations = []; document.addEventListener('securitypolicyviolation',"
                        + " e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"));
        browser.get(lines.get("DASHBOARD"));
        // with the keyboard only: type the token and press Enter
        browser.findElement(By.id("token")).sendKeys(lines.get("TOKEN"), Keys.ENTER);
        await().atMost(Duration.ofSeconds(15)).until(() -> browser.findElement(By.id("streams")).isDisplayed());

        // The name field's pattern compiles in Chromium (an invalid one is ignored: nothing would be checked).
        JavascriptExecutor page = browser;
        assertThat(page.executeScript("const f = document.getElementById('ns-name'); f.value = '-bad name';"
                + " const bad = f.validity.patternMismatch; f.value = 'good_name-1';"
                + " const good = !f.validity.patternMismatch; f.value = ''; return bad && good;")).isEqualTo(true);
        browser.findElement(By.id("ns-name")).sendKeys("browser-cam");
        browser.findElement(By.cssSelector("#new-stream button[type=submit]")).click();
        await().atMost(Duration.ofSeconds(15)).until(() -> browser.findElement(By.id("stream-detail")).isDisplayed()
                && browser.findElement(By.id("sd-key")).getText().length() >= 20);
        String server = browser.findElement(By.id("sd-server")).getText();
        String key = browser.findElement(By.id("sd-key")).getText();
        browserCamKey = key;
        assertThat(server).isEqualTo("rtmp://127.0.0.1:" + up.edgeRtmp + "/live");
        // Before a publisher: the node's own report (waiting, since when), not the placement's "assigned".
        await("the detail says what the stream waits for").atMost(Duration.ofSeconds(15))
                .until(() -> browser.findElement(By.id("sd-run")).getText().startsWith("Not playing: waiting since"));
        assertThat(browser.findElement(By.id("stream-rows")).getText()).contains("browser-cam").contains("waiting")
                .doesNotContain("assigned");

        publisher = SyntheticPublisher.builder().size(320, 240).fps(25).colour("red").toneHz(440)
                .publishTo(server + "/" + key);
        JavascriptExecutor js = browser;
        await("the stream's player advances").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> number(js.executeScript("var v = document.getElementById('sd-video');"
                        + " return v.readyState >= 2 ? v.currentTime : 0;")) > 1.0);
        double t0 = number(js.executeScript("return document.getElementById('sd-video').currentTime;"));
        Thread.sleep(2000);
        assertThat(number(js.executeScript("return document.getElementById('sd-video').currentTime;")))
                .isGreaterThan(t0 + 1.0);
        assertThat(browser.findElement(By.id("sd-run")).getText()).isEmpty();
        assertThat(browser.findElement(By.id("stream-rows")).getText()).contains("live since");
    }

    @Test
    @Order(3)
    void aCaptionTypedInTheDashboardAppearsInThePicture() {
        // the pipeline editor: add a captions overlay that keeps each caption 20 s, applied to the live stream
        new Select(browser.findElement(By.id("stage-type"))).selectByValue("captions");
        browser.findElement(By.cssSelector("#add-stage button[type=submit]")).click();
        WebElement duration = browser.findElement(By.id("p-0-durationMs"));
        duration.clear();
        duration.sendKeys("20000", Keys.TAB);
        browser.findElement(By.id("apply-pipeline")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("status")).getText()
                .contains("Pipeline applied"));

        WebElement video = browser.findElement(By.id("sd-video"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'start'});", video);
        double before = brightShare(screenshot(video), 0.70, 0.95);
        browser.findElement(By.id("caption-text")).sendKeys("你好 StreamLoom captions");
        browser.findElement(By.cssSelector("#caption-form button[type=submit]")).click();
        await("the caption shows in the lower part of the played picture").atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    BufferedImage img = screenshot(video);
                    ImageIO.write(img, "png", Path.of("target", "caption-screenshot.png").toFile());
                    return brightShare(img, 0.70, 0.95) > before + 0.01;
                });
    }

    @Test
    @Order(4)
    void aCompositionOfTwoStreamsPlaysWithBothInThePicture() {
        browser.findElement(By.cssSelector("nav a[data-section=compositions]")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("compositions")).isDisplayed()
                && browser.findElements(By.cssSelector("#nc-inputs input[value=browser-cam]")).size() == 1);
        browser.findElement(By.id("nc-name")).sendKeys("wall");
        browser.findElement(By.cssSelector("#nc-inputs input[value=browser-cam]")).click();
        browser.findElement(By.cssSelector("#nc-inputs input[value=demo]")).click();
        browser.findElement(By.cssSelector("#new-comp button[type=submit]")).click();
        JavascriptExecutor js = browser;
        await("the composition's player advances").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> number(js.executeScript("var v = document.getElementById('cd-video');"
                        + " return v.readyState >= 2 ? v.currentTime : 0;")) > 1.0);
        WebElement video = browser.findElement(By.id("cd-video"));
        js.executeScript("arguments[0].scrollIntoView({block: 'center'});", video);
        // two inputs in a grid sit side by side (in the order the checkboxes list them): one half holds the red
        // publisher, the other the demo's test pattern
        await("both inputs are in the picture: the red stream in one half, the test pattern in the other")
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(700)).until(() -> {
                    BufferedImage img = screenshot(video);
                    ImageIO.write(img, "png", Path.of("target", "composition-screenshot.png").toFile());
                    double[] left = meanRgb(img, 0.05, 0.45);
                    double[] right = meanRgb(img, 0.55, 0.95);
                    boolean leftRed = isRed(left);
                    boolean rightRed = isRed(right);
                    boolean differ = Math.abs(right[0] - left[0]) + Math.abs(right[1] - left[1])
                            + Math.abs(right[2] - left[2]) > 60;
                    return (leftRed ^ rightRed) && differ;
                });
    }

    @Test
    @Order(5)
    void nodesShowWithALiveLoadChartAndThePageFitsAPhone() {
        browser.findElement(By.cssSelector("nav a[data-section=nodes]")).click();
        await("edge and compositor listed, the CPU chart drawn").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                        browser.findElements(By.cssSelector("#node-rows tr")).size() >= 2
                                && !browser.findElements(By.cssSelector("#cpu-chart canvas")).isEmpty());
        assertThat(browser.findElement(By.id("node-rows")).getText()).contains("EDGE", "COMPOSITOR");

        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        browser.findElement(By.cssSelector("nav a[data-section=streams]")).click();
        JavascriptExecutor js = browser;
        await("no sideways scrolling at phone width").atMost(Duration.ofSeconds(5)).until(() -> number(js.executeScript(
                "return document.documentElement.scrollWidth - window.innerWidth;")) <= 0);
        assertThat(browser.findElement(By.id("ns-name")).isDisplayed()).isTrue();
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        // Everything above (login, players, charts, the pipeline editor) ran under the dashboard's CSP.
        assertThat(js.executeScript("return window.cspViolations;")).asList().isEmpty();
        // The admin token travels only in a header: no URL the page showed or fetched carries it.
        assertThat(browser.getCurrentUrl()).doesNotContain(lines.get("TOKEN"));
        assertThat(js.executeScript("return performance.getEntriesByType('resource').map(e => e.name);"))
                .asList().isNotEmpty().allSatisfy(url -> assertThat(url.toString()).doesNotContain(lines.get("TOKEN")));
    }

    @Test
    @Order(6)
    void ctrlCStopsEverythingAndASecondStartKeepsStreamsAndCompositions() throws Exception {
        JsonNode streamsBefore = api.get("/api/v1/streams").ok();
        browser.quit();
        browser = null;
        publisher.close();
        publisher = null;
        assertThat(up.interrupt(Duration.ofSeconds(60))).isNotNegative();
        for (int port : new int[] {up.apiPort, up.edgeHttp, up.edgeRtmp, up.compHttp, up.compRtmp}) {
            assertThat(listening(port)).as("port " + port + " is closed after Ctrl-C").isFalse();
        }
        // A clean stop reads as one: its own lines stamped like every log line, and nothing after "Stopped.".
        List<String> stopped = up.output();
        assertThat(stopped.get(stopped.size() - 1)).matches(ISO_UTC + "Stopped\\.");
        assertThat(stopped).noneSatisfy(l -> assertThat(l).contains("exited unexpectedly"))
                .filteredOn(l -> l.contains("Stopping") || l.contains("Logs in")).isNotEmpty()
                .allSatisfy(l -> assertThat(l).matches(ISO_UTC + ".*"));
        Path apiLog = data.resolve("logs").resolve("control-api.log");
        long logBefore = Files.size(apiLog);
        String metricsToken = Files.readString(data.resolve("metrics-token"));
        Map<String, String> again = up.start(Duration.ofMinutes(3));
        // The restart of everything is no failure: no node reported down, no other replica imagined.
        Thread.sleep(10_000);
        String restartLog;
        try (var in = Files.newInputStream(apiLog)) {
            in.skipNBytes(logBefore);
            restartLog = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(restartLog).doesNotContain("is down", "another replica", "not supported", "WARN");
        assertThat(restartLog.lines().filter(l -> l.contains(" INFO "))).isNotEmpty()
                .allSatisfy(l -> assertThat(l).matches(ISO_UTC + "INFO .*"));
        assertThat(again.get("TOKEN")).isEqualTo(lines.get("TOKEN"));
        assertThat(Files.readString(data.resolve("metrics-token"))).isEqualTo(metricsToken);
        assertThat(getWith(metricsToken.trim(), "/q/metrics").statusCode()).isEqualTo(200);
        assertThat(again.get("OBS")).isEqualTo(lines.get("OBS"));
        JsonNode streams = api.get("/api/v1/streams").ok();
        assertThat(streams.size()).isEqualTo(streamsBefore.size());
        assertThat(streams.toString()).contains("\"browser-cam\"", "\"demo\"");
        assertThat(api.get("/api/v1/compositions").ok().toString()).contains("\"wall\"");
    }

    @Test
    @Order(7)
    void noSecretIsInAnyAnswerOrLogLine() throws Exception {
        JsonNode cam = null;
        for (JsonNode stream : api.get("/api/v1/streams").ok()) {
            if (stream.path("spec").path("name").asText().equals("browser-cam")) {
                cam = stream;
            }
        }
        assertThat(cam).as("browser-cam").isNotNull();
        // Rotation, then the old key and a made-up one are refused; the new key publishes.
        String newKey = api.post("/api/v1/streams/" + cam.get("id").asText() + "/rotate-key", "").ok()
                .get("streamKey").asText();
        String ingest = "rtmp://127.0.0.1:" + up.edgeRtmp + "/live/";
        List<String> secrets = new ArrayList<>(List.of(lines.get("TOKEN"), browserCamKey, newKey));

        for (String wrong : List.of(browserCamKey, "Wr0ngKeyWr0ngKeyWr0ngKeyWr0ngKey")) {
            assertThat(publishBriefly(ingest + wrong).exitCode()).as("publish with a wrong key").isNotZero();
        }
        // The wrong keys put this address in back-off (1 s, then 2 s): the rotated key publishes once it has passed.
        await("publish with the rotated key").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> publishBriefly(ingest + newKey).exitCode() == 0);

        // Rotating again ends the publication that uses the now old key at once.
        try (SyntheticPublisher live = SyntheticPublisher.builder().size(160, 120).fps(10).colour("blue")
                .publishTo(ingest + newKey)) {
            Thread.sleep(4000);
            assertThat(live.isRunning()).as("publishing with the current key: " + live.log()).isTrue();
            String third = api.post("/api/v1/streams/" + cam.get("id").asText() + "/rotate-key", "").ok()
                    .get("streamKey").asText();
            secrets.add(third);
            assertThat(live.awaitExit(Duration.ofSeconds(15))).as("the publisher is cut off after rotation").isTrue();
        }
        assertThat(Files.readString(data.resolve("logs/edge.log"))).contains("the stream key was rotated");

        try (var files = Files.list(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.contains("token") || name.contains("key") || name.contains("credential")) {
                    secrets.add(Files.readString(f).trim());
                }
            }
        }
        assertThat(secrets).allSatisfy(secret -> assertThat(secret).hasSizeGreaterThanOrEqualTo(20));

        String answers = api.get("/api/v1/streams").ok().toString() + api.get("/api/v1/compositions").ok()
                + api.get("/api/v1/nodes").ok();
        List<Path> logs;
        try (var files = Files.walk(data.resolve("logs"))) {
            logs = files.filter(Files::isRegularFile).toList();
        }
        assertThat(logs).extracting(p -> p.getFileName().toString()).contains("control-api.log", "edge.log",
                "compositor.log");
        for (String secret : secrets) {
            String hash = sha256Hex(secret);
            assertThat(answers).as("API answers").doesNotContain(secret);
            for (Path log : logs) {
                String text = Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(text).as("%s (%d bytes)", log.getFileName(), text.length())
                        .doesNotContain(secret).doesNotContainIgnoringCase(hash.substring(0, 8));
            }
        }
    }

    /** Publishes two seconds of a test picture with the ffmpeg CLI; the exit code says whether the edge took it. */
    static FfmpegCli.Result publishBriefly(String url) {
        return FfmpegCli.run(Duration.ofSeconds(40), "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi",
                "-i", "testsrc=size=160x120:rate=10", "-t", "2", "-c:v", "libx264", "-preset", "ultrafast",
                "-g", "10", "-f", "flv", url);
    }

    static String sha256Hex(String s) throws java.security.NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }
}
