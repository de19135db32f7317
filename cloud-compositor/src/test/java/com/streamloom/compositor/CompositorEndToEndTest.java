package com.streamloom.compositor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.compositor.render.YuvColor;
import com.streamloom.node.NodeConfig;
import com.streamloom.media.rtmp.PublishRejectedException;
import com.streamloom.media.rtmp.PublishRequest;
import com.streamloom.media.testing.FfmpegCli;
import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.Ports;
import com.streamloom.media.testing.SyntheticPublisher;
import com.streamloom.spec.CompositionSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The compositor process end to end with real RTMP publishers: four ffmpeg publishers of
 * distinct colours (two with tones) push into the compositor's RTMP port; two compositions use them (a 2x2 grid of
 * all four and a picture-in-picture of two, so one publication feeds both); the HLS output is fetched over HTTP and
 * decoded by FFmpeg. Sizes are small (320x240 inputs at 15 fps, 640x360 canvas) to keep the shared machine free.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CompositorEndToEndTest {
    static final String TOKEN = "Ns7-Qx2Lw9Rk4Tz8Vm3Pc6Hb";
    static final int RED = 0xE01010, GREEN = 0x10C020, BLUE = 0x1020E0, YELLOW = 0xE0E010;
    static final int HOLD_MS = 1000;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    static CompositorNode node;
    static final List<SyntheticPublisher> publishers = new ArrayList<>();
    static SyntheticPublisher d;

    // Quadrant centres of the 2x2 grid (inputs are letterboxed 4:3 in 16:9 cells, the centres are picture).
    static final HlsProbe.Region TOP_LEFT = new HlsProbe.Region(0.20, 0.20, 0.10, 0.10);
    static final HlsProbe.Region TOP_RIGHT = new HlsProbe.Region(0.70, 0.20, 0.10, 0.10);
    static final HlsProbe.Region BOTTOM_LEFT = new HlsProbe.Region(0.20, 0.70, 0.10, 0.10);
    static final HlsProbe.Region BOTTOM_RIGHT = new HlsProbe.Region(0.70, 0.70, 0.10, 0.10);

    @BeforeAll
    static void start() throws Exception {
        Path cfg = Files.createTempFile("compositor", ".json");
        Files.writeString(cfg, """
                {"bindHost": "127.0.0.1", "advertiseHost": "127.0.0.1", "nodeToken": "%s",
                 "compositions": [
                  {"name": "grid4", "canvas": {"width": 640, "height": 360, "fps": 15},
                   "inputs": [{"stream": "a", "jitterMs": 100}, {"stream": "b", "jitterMs": 100},
                              {"stream": "c", "jitterMs": 100}, {"stream": "d", "jitterMs": 100, "holdMs": %d}],
                   "layout": {"type": "grid"}, "output": {"segmentSeconds": 1, "windowSegments": 8}},
                  {"name": "pip", "canvas": {"width": 640, "height": 360, "fps": 15},
                   "inputs": [{"stream": "a", "jitterMs": 100}, {"stream": "b", "jitterMs": 100}],
                   "layout": {"type": "pip", "corner": "bottom-right", "size": 0.3},
                   "output": {"segmentSeconds": 1, "windowSegments": 8}}]}
                """.formatted(TOKEN, HOLD_MS));
        node = CompositorNode.start(NodeConfig.load(cfg, Map.of("STREAMLOOM_RTMP_PORT", String.valueOf(Ports.free()),
                "STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free())), 1936, 8082));
        publishers.add(publish("a", "0xE01010", 440));
        publishers.add(publish("b", "0x10C020", 1000));
        publishers.add(publish("c", "0x1020E0", 0));
        d = publish("d", "0xE0E010", 0);
        publishers.add(d);
    }

    static SyntheticPublisher publish(String stream, String colour, double toneHz) {
        return SyntheticPublisher.builder().size(320, 240).fps(15).colour(colour).toneHz(toneHz).videoKbps(200)
                .publishTo("rtmp://127.0.0.1:" + node.rtmpPort() + "/live/" + stream + "?token=" + TOKEN);
    }

    @AfterAll
    static void stop() {
        publishers.forEach(SyntheticPublisher::close);
        if (node != null) node.close();
    }

    static URI playlist(String composition) {
        return URI.create("http://127.0.0.1:" + node.httpPort() + "/hls/" + composition + "/index.m3u8");
    }

    /**
     * The playlist once a whole segment (its newest) shows every input's picture in every frame: publishers take a
     * moment to start, so earlier segments begin with the slate.
     */
    static HlsProbe.Playlist awaitAllInputs(String composition, List<HlsProbe.Region> regions, List<Integer> colours) {
        return await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(300)).until(() -> {
            try {
                HlsProbe.Playlist p = HlsProbe.fetchPlaylist(playlist(composition));
                HlsProbe.Media m = HlsProbe.decode(HlsProbe.download(p.last().uri()),
                        regions.toArray(HlsProbe.Region[]::new));
                if (m.pictures().isEmpty()) return null;
                for (HlsProbe.Picture pic : m.pictures()) {
                    for (int i = 0; i < regions.size(); i++) {
                        if (!near(pic.regions().get(i), colours.get(i))) return null;
                    }
                }
                return p;
            } catch (RuntimeException e) {
                return null;
            }
        }, p -> p != null);
    }

    static boolean near(HlsProbe.YuvMean m, int rgb) {
        YuvColor want = YuvColor.rgb(rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff);
        return Math.abs(m.y() - want.y()) <= 10 && Math.abs(m.u() - want.u()) <= 10 && Math.abs(m.v() - want.v()) <= 10;
    }

    static boolean isSlate(HlsProbe.YuvMean m) {
        // Slate grey (Y 98) with its white "NO SIGNAL" text across the region's centre: neutral chroma, mid luma
        // (neither the input's colour nor a black background).
        return m.y() > YuvColor.SLATE_GREY.y() - 10 && m.y() < 170 && Math.abs(m.u() - 128) <= 6
                && Math.abs(m.v() - 128) <= 6;
    }

    static String describe(HlsProbe.YuvMean m) {
        return String.format("Y%.0f U%.0f V%.0f", m.y(), m.u(), m.v());
    }

    @Test
    @Order(1)
    void gridRegionsHoldTheColourOfTheirInputs() {
        HlsProbe.Playlist p = awaitAllInputs("grid4", List.of(TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT),
                List.of(RED, GREEN, BLUE, YELLOW));
        HlsProbe.Media m = HlsProbe.decode(HlsProbe.download(p.last().uri()), TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT,
                BOTTOM_RIGHT, new HlsProbe.Region(0.49, 0.05, 0.02, 0.9));
        assertThat(m.pictures()).hasSizeGreaterThan(5);
        for (HlsProbe.Picture pic : m.pictures()) {
            assertThat(pic.width()).isEqualTo(640);
            assertThat(pic.height()).isEqualTo(360);
            List<HlsProbe.YuvMean> r = pic.regions();
            assertThat(near(r.get(0), RED)).as("top left %s", describe(r.get(0))).isTrue();
            assertThat(near(r.get(1), GREEN)).as("top right %s", describe(r.get(1))).isTrue();
            assertThat(near(r.get(2), BLUE)).as("bottom left %s", describe(r.get(2))).isTrue();
            assertThat(near(r.get(3), YELLOW)).as("bottom right %s", describe(r.get(3))).isTrue();
            // Between the columns are the letterbox bars of the 4:3 inputs in 16:9 cells: background black.
            assertThat(r.get(4).y()).as("centre column").isLessThan(24);
        }
    }

    /**
     * The composed output is Low-Latency HLS like the edge's: the playlist lists parts, the parts of a finished
     * segment are exactly its bytes, and a player starting at an independent part sees the composition.
     */
    @Test
    @Order(1)
    void theComposedOutputIsLowLatencyHlsWhosePartsMakeUpTheSegments() throws Exception {
        awaitAllInputs("grid4", List.of(TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT), List.of(RED, GREEN, BLUE, YELLOW));
        URI base = playlist("grid4");
        String text = new String(HlsProbe.download(base), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES", "#EXT-X-PART-INF:PART-TARGET=",
                "#EXT-X-PRELOAD-HINT:TYPE=PART");
        // Parts come before the EXTINF and URI of the segment they belong to.
        URI segment = null;
        List<URI> parts = new ArrayList<>();
        URI independentPart = null;
        List<URI> pending = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#EXT-X-PART:")) {
                URI uri = base.resolve(line.replaceAll(".*URI=\"([^\"]+)\".*", "$1"));
                pending.add(uri);
                if (line.contains("INDEPENDENT=YES")) independentPart = uri; // the newest: all inputs are in it
            } else if (!line.startsWith("#") && !line.isBlank()) {
                if (segment == null && !pending.isEmpty()) {
                    segment = base.resolve(line);
                    parts = List.copyOf(pending);
                }
                pending.clear();
            }
        }
        assertThat(segment).as("a finished segment listed with its parts in\n%s", text).isNotNull();
        assertThat(parts).hasSizeGreaterThan(1);
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        for (URI part : parts) joined.write(HlsProbe.download(part));
        assertThat(joined.toByteArray()).isEqualTo(HlsProbe.download(segment));

        assertThat(independentPart).isNotNull();
        HlsProbe.Media m = HlsProbe.decode(HlsProbe.download(independentPart), TOP_LEFT, BOTTOM_RIGHT);
        assertThat(m.pictures()).isNotEmpty();
        for (HlsProbe.Picture pic : m.pictures()) {
            assertThat(near(pic.regions().get(0), RED)).as("top left %s", describe(pic.regions().get(0))).isTrue();
            assertThat(near(pic.regions().get(1), YELLOW)).as("bottom right %s", describe(pic.regions().get(1))).isTrue();
        }
    }

    @Test
    @Order(2)
    void pictureInPictureShowsTheInsetInTheBottomRightCorner() {
        // 640x360 canvas, inset 0.3 = 192x108 at 10 px from the bottom-right corner: x 438..630, y 242..350.
        HlsProbe.Region insetCentre = new HlsProbe.Region(0.81, 0.79, 0.05, 0.06);
        HlsProbe.Region leftOfInset = new HlsProbe.Region(0.60, 0.78, 0.05, 0.08);
        HlsProbe.Region aboveInset = new HlsProbe.Region(0.78, 0.50, 0.05, 0.08);
        HlsProbe.Region mainPicture = new HlsProbe.Region(0.30, 0.20, 0.15, 0.20);
        HlsProbe.Playlist p = awaitAllInputs("pip", List.of(insetCentre, mainPicture), List.of(GREEN, RED));
        HlsProbe.Media m = HlsProbe.decode(HlsProbe.download(p.last().uri()), insetCentre, leftOfInset, aboveInset,
                mainPicture);
        for (HlsProbe.Picture pic : m.pictures()) {
            List<HlsProbe.YuvMean> r = pic.regions();
            assertThat(near(r.get(0), GREEN)).as("inset %s", describe(r.get(0))).isTrue();
            assertThat(near(r.get(1), RED)).as("left of the inset %s", describe(r.get(1))).isTrue();
            assertThat(near(r.get(2), RED)).as("above the inset %s", describe(r.get(2))).isTrue();
            assertThat(near(r.get(3), RED)).as("main picture %s", describe(r.get(3))).isTrue();
        }
    }

    @Test
    @Order(3)
    void twoTonesMixedInComeOutAsBothFrequencies() {
        HlsProbe.Playlist p = awaitAllInputs("grid4", List.of(TOP_LEFT, TOP_RIGHT), List.of(RED, GREEN));
        HlsProbe.Audio audio = HlsProbe.decode(HlsProbe.download(p.last().uri())).audio();
        assertThat(audio).isNotNull();
        assertThat(audio.durationMicros()).isGreaterThan(500_000);
        double at440 = audio.toneLevel(440), at1000 = audio.toneLevel(1000), between = audio.toneLevel(700);
        // On failure, say whether input audio was dropped (late, overflow, undecodable) or never arrived.
        String counters = node.registry().scrape().lines()
                .filter(l -> l.startsWith("streamloom_composition_audio") && l.contains("grid4"))
                .reduce("", (a, b) -> a + "\n" + b);
        assertThat(at440).as("440 Hz (700 Hz %.4f)%s", between, counters).isGreaterThan(0.02).isGreaterThan(10 * between);
        assertThat(at1000).as("1000 Hz (700 Hz %.4f)%s", between, counters).isGreaterThan(0.02).isGreaterThan(10 * between);
        assertThat(counters).contains("streamloom_composition_audio_late_samples_total");
    }

    @Test
    @Order(4)
    void publishesAreCheckedForTokenInputAndExclusivity() {
        Compositions handler = node.compositions();
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", 5000);
        assertThatThrownBy(() -> handler.onPublish(PublishRequest.of("live", "zz?token=" + TOKEN, from)))
                .isInstanceOf(PublishRejectedException.class).hasMessageContaining("no composition");
        assertThatThrownBy(() -> handler.onPublish(PublishRequest.of("live", "a", from)))
                .isInstanceOf(PublishRejectedException.class).hasMessageContaining("node token");
        assertThatThrownBy(() -> handler.onPublish(PublishRequest.of("live", "a?token=wrong", from)))
                .isInstanceOf(PublishRejectedException.class).hasMessageContaining("node token");
        assertThatThrownBy(() -> handler.onPublish(PublishRequest.of("other", "a?token=" + TOKEN, from)))
                .isInstanceOf(PublishRejectedException.class).hasMessageContaining("application");
        assertThatThrownBy(() -> handler.onPublish(PublishRequest.of("live", "a?token=" + TOKEN, from)))
                .isInstanceOf(PublishRejectedException.class).hasMessageContaining("already publishing");
        // And over the wire: a real second publisher of a live input is refused, the first goes on.
        FfmpegCli.Result r = FfmpegCli.run(Duration.ofSeconds(20), "-hide_banner", "-re", "-f", "lavfi", "-i",
                "testsrc2=size=160x120:rate=15", "-t", "2", "-c:v", "libx264", "-f", "flv",
                "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/b?token=" + TOKEN);
        assertThat(r.exitCode()).isNotZero();
        assertThat(publishers.get(1).isRunning()).isTrue();
    }

    @Test
    @Order(5)
    void nodeApiListsCompositionsLikeTheEdgeAndMetricsExportThem() throws Exception {
        String streams = get("/api/streams");
        List<Map<String, Object>> list = JSON.readValue(streams, List.class);
        assertThat(list).extracting(m -> m.get("name")).containsExactly("grid4", "pip");
        assertThat(list.get(0)).containsEntry("playbackUrl", "/hls/grid4/index.m3u8").containsEntry("state", "live")
                .containsKeys("fps", "latencyP99Ms", "drops", "stages", "error");
        assertThat(((Number) list.get(0).get("fps")).doubleValue()).isBetween(12.0, 16.0);
        assertThat(get("/healthz")).contains("UP");
        assertThat(get("/")).containsIgnoringCase("<html");
        String metrics = get("/metrics");
        assertThat(metrics).contains("streamloom_composition_fps{composition=\"grid4\"}",
                "streamloom_composition_skipped_ticks_total{composition=\"grid4\"}",
                "streamloom_composition_input_dropped_total{composition=\"grid4\",input=\"d\",reason=\"late\"}",
                "streamloom_composition_input_live{composition=\"pip\",input=\"a\"} 1.0",
                "process_cpu_usage", "streamloom_process_resident_bytes").doesNotContain(TOKEN);
    }

    @Test
    @Order(6)
    void inputsAndLayoutChangeLiveOnTheSamePlaylist() throws Exception {
        URI pip = playlist("pip");
        HlsProbe.Playlist before = HlsProbe.fetchPlaylist(pip);
        long seq0 = before.last().sequence();
        HlsProbe.Region left = new HlsProbe.Region(0.12, 0.45, 0.08, 0.10);
        HlsProbe.Region middle = new HlsProbe.Region(0.46, 0.45, 0.08, 0.10);
        HlsProbe.Region right = new HlsProbe.Region(0.79, 0.45, 0.08, 0.10);

        // Add c (already publishing into grid4) in front and go side by side: c | a | b.
        Instant put1 = Instant.now();
        putPip("""
                {"name": "pip", "canvas": {"width": 640, "height": 360, "fps": 15},
                 "inputs": [{"stream": "c", "jitterMs": 100}, {"stream": "a", "jitterMs": 100},
                            {"stream": "b", "jitterMs": 100}],
                 "layout": {"type": "side-by-side"}, "output": {"segmentSeconds": 1, "windowSegments": 8}}""");
        List<OutputTimeline.Shot> shots = OutputTimeline.collect(pip, seq0, put1.plusSeconds(3), Duration.ofSeconds(20),
                left, middle, right);
        OutputTimeline.Shot layout = OutputTimeline.first(shots, put1,
                s -> near(s.regions().get(1), RED) && near(s.regions().get(2), GREEN));
        assertThat(layout).as("side by side a | b in the output").isNotNull();
        assertThat(Duration.between(put1, layout.wall())).as("layout change visible").isLessThan(Duration.ofSeconds(1));
        // A live input joining a composition shows from its next keyframe (publishers: one per second) + jitter.
        OutputTimeline.Shot joined = OutputTimeline.first(shots, put1, s -> near(s.regions().get(0), BLUE));
        assertThat(joined).as("input c in the output").isNotNull();
        assertThat(Duration.between(put1, joined.wall())).isLessThan(Duration.ofMillis(2200));

        // Remove c and b: a alone fills the canvas, so the right third turns red.
        long seq1 = shots.get(shots.size() - 1).sequence();
        Instant put2 = Instant.now();
        putPip("""
                {"name": "pip", "canvas": {"width": 640, "height": 360, "fps": 15},
                 "inputs": [{"stream": "a", "jitterMs": 100}],
                 "layout": {"type": "grid"}, "output": {"segmentSeconds": 1, "windowSegments": 8}}""");
        List<OutputTimeline.Shot> after = OutputTimeline.collect(pip, seq1, put2.plusSeconds(2), Duration.ofSeconds(20),
                right, middle);
        OutputTimeline.Shot removed = OutputTimeline.first(after, put2, s -> near(s.regions().get(0), RED));
        assertThat(removed).as("b removed").isNotNull();
        assertThat(Duration.between(put2, removed.wall())).isLessThan(Duration.ofSeconds(1));

        HlsProbe.Playlist now = HlsProbe.fetchPlaylist(pip);
        assertThat(now.last().sequence()).isGreaterThan(seq1);
        assertThat(now.mediaSequence()).isGreaterThanOrEqualTo(before.mediaSequence());
        assertThat(now.discontinuities() + now.discontinuitySequence())
                .as("live changes are no discontinuity").isEqualTo(before.discontinuities() + before.discontinuitySequence());
        long prev = -1;
        for (HlsProbe.Segment s : now.segments()) {
            assertThat(s.sequence()).isGreaterThan(prev);
            prev = s.sequence();
        }
        assertThat(node.compositions().get("pip").composition().spec().inputs()).hasSize(1);
    }

    @Test
    @Order(7)
    void aCompositionStartedWhileItsInputIsLiveGetsThatInput() {
        // b has been publishing all along; a composition that starts now gets the publication's decoder config
        // replayed and shows b from its next keyframe, without b reconnecting.
        CompositionSpec late = new CompositionSpec("late", new CompositionSpec.Canvas(320, 180, 15, "#000000"),
                List.of(new CompositionSpec.Input("b", null, null, null, null, null, 100)), null, null,
                new com.streamloom.spec.OutputSpec(1.0, 4, null)).validated();
        node.compositions().ensure("late", late);
        try {
            HlsProbe.Region centre = new HlsProbe.Region(0.4, 0.4, 0.2, 0.2);
            awaitAllInputs("late", List.of(centre), List.of(GREEN));
            assertThat(node.compositions().isPublishing("b")).isTrue();
        } finally {
            node.compositions().remove("late");
        }
        assertThat(HlsProbe.get(playlist("late")).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(8)
    void anInputThatStopsTurnsToTheSlateAfterItsHoldTime() {
        HlsProbe.Playlist p = awaitAllInputs("grid4", List.of(BOTTOM_RIGHT), List.of(YELLOW));
        Instant stopped = Instant.now();
        d.close();
        List<OutputTimeline.Shot> shots = OutputTimeline.collect(playlist("grid4"), p.last().sequence(),
                stopped.plusMillis(HOLD_MS + 2500), Duration.ofSeconds(20), BOTTOM_RIGHT, TOP_LEFT);
        OutputTimeline.Shot slate = OutputTimeline.first(shots, stopped, s -> isSlate(s.regions().get(0)));
        assertThat(slate).as("slate after d stopped; seen: %s", shots.stream()
                .map(s -> Duration.between(stopped, s.wall()).toMillis() + "ms " + describe(s.regions().get(0)))
                .toList()).isNotNull();
        Duration after = Duration.between(stopped, slate.wall());
        // Hold time, plus the jitter delay (100 ms), one frame gap and the publisher's last frames in flight.
        assertThat(after).as("slate %s after the stop", after)
                .isBetween(Duration.ofMillis(HOLD_MS - 100), Duration.ofMillis(HOLD_MS + 700));
        // Until then the last picture of d is held, and the other inputs never flinch.
        for (OutputTimeline.Shot s : shots) {
            if (s.wall().isAfter(stopped) && s.wall().isBefore(stopped.plusMillis(HOLD_MS - 300))) {
                assertThat(near(s.regions().get(0), YELLOW)).as("held at %s: %s", s.wall(),
                        describe(s.regions().get(0))).isTrue();
            }
            assertThat(near(s.regions().get(1), RED)).isTrue();
        }
    }

    static void putPip(String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort()
                        + "/api/compositions/pip")).header("Authorization", "Bearer " + TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"rebuilt\":false");
        JSON.readValue(json, CompositionSpec.class).validated();
    }

    static String get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort()
                + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}
