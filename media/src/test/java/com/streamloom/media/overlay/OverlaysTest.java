package com.streamloom.media.overlay;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import com.streamloom.media.pipeline.FrameStage;
import com.streamloom.spec.SpecException;
import com.streamloom.spec.StageSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every catalog overlay type builds from its spec, and a bad one is refused naming the field. */
class OverlaysTest {
    private final CaptionFeed feed = new CaptionFeed(Clock.systemUTC());

    @Test
    void buildsEachCatalogOverlayType() throws IOException {
        String png = "data:image/png;base64," + Base64.getEncoder().encodeToString(
                ImageOverlayTest.pngBytes(ImageOverlayTest.square(8, 8, 0xFF00FF00)));
        assertThat(Overlays.create(new StageSpec("text"), feed)).isInstanceOf(TextOverlay.class);
        assertThat(Overlays.create(new StageSpec("image", Map.of("source", png, "width", 16)), feed))
                .isInstanceOf(ImageOverlay.class);
        assertThat(Overlays.create(new StageSpec("subtitles", Map.of("format", "vtt",
                "content", "WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n")), feed)).isInstanceOf(SubtitleOverlay.class);
        assertThat(Overlays.create(new StageSpec("captions", Map.of("maxLines", 3)), feed))
                .isInstanceOf(CaptionOverlay.class);
    }

    @Test
    void textSpecParametersTakeEffect() {
        FrameStage stage = Overlays.create(new StageSpec("text", Map.of("text", "{stream}", "x", -10, "y", -10,
                "color", "#FF0000", "box", false, "outline", 0)), feed);
        try (stage; VideoFrame f = Frames.solid(320, 240, 16, 128, 128, 0); VideoFrame plain = f.copy()) {
            stage.apply(f, new FrameContext("cam", Clock.systemUTC(), 0, 30));
            java.awt.Rectangle r = Frames.changedLuma(f, plain);
            assertThat(r.x).isGreaterThan(160); // bottom-right
            assertThat(r.y).isGreaterThan(120);
            // Red text without a box: some chroma samples move towards red (Cr up).
            int[][] cr = Frames.plane(f, 2);
            assertThat(cr[(r.y + r.height / 2) / 2][(r.x + r.width / 2) / 2]).isGreaterThanOrEqualTo(128);
            assertThat(java.util.Arrays.stream(cr).flatMapToInt(java.util.Arrays::stream).max().getAsInt())
                    .isGreaterThan(200);
        }
    }

    @Test
    void refusesTypesThatAreNotOverlays() {
        assertThatThrownBy(() -> Overlays.create(new StageSpec("grayscale"), feed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an overlay type: 'grayscale'").hasMessageContaining("captions");
        assertThatThrownBy(() -> Overlays.create(new StageSpec("sparkles"), feed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sparkles");
        assertThatThrownBy(() -> Overlays.create(new StageSpec(null), feed))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badParametersNameTheField() {
        assertThatThrownBy(() -> Overlays.create(new StageSpec("text", Map.of("color", "red")), feed))
                .isInstanceOf(SpecException.class).hasMessageContaining("stage.color");
        assertThatThrownBy(() -> Overlays.create(new StageSpec("subtitles", Map.of("content",
                "1\n00:00:02,000 --> 00:00:01,000\nx\n")), feed))
                .isInstanceOf(SpecException.class)
                .hasMessage("stage.content: line 2: cue ends (00:00:01,000) before it starts (00:00:02,000)");
        assertThatThrownBy(() -> Overlays.create(new StageSpec("image", Map.of("source", "data:image/png;base64,AAAA")),
                feed)).isInstanceOf(SpecException.class).hasMessageStartingWith("stage.source: data: URI");
    }

    @Test
    void captionsNeedAFeed() {
        assertThatThrownBy(() -> Overlays.create(new StageSpec("captions"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CaptionFeed");
    }
}
