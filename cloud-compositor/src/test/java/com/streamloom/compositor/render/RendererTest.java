package com.streamloom.compositor.render;

import com.streamloom.compositor.layout.Box;
import com.streamloom.compositor.layout.LayoutEngine;
import com.streamloom.compositor.layout.Placement;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.media.frame.VideoFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static com.streamloom.compositor.testing.TestCards.sample;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;
import static com.streamloom.compositor.testing.TestCards.solid;
import static org.assertj.core.api.Assertions.assertThat;

/** Pixel tests on the rendered canvas: every region holds the colour of its input. */
class RendererTest {
    static final YuvColor RED = YuvColor.rgb(220, 30, 30);
    static final YuvColor GREEN = YuvColor.rgb(30, 200, 40);
    static final YuvColor BLUE = YuvColor.rgb(30, 40, 220);
    static final YuvColor YELLOW = YuvColor.rgb(230, 220, 30);
    static final YuvColor BACKGROUND = YuvColor.parse("#202020");

    private final List<AutoCloseable> owned = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : owned) c.close();
    }

    private VideoFrame input(int w, int h, YuvColor c) {
        VideoFrame f = solid(w, h, c, 0);
        owned.add(f);
        return f;
    }

    private Renderer renderer(int w, int h) {
        Renderer r = new Renderer(w, h);
        owned.add(r);
        return r;
    }

    private static List<Placement> layout(int n, CompositionSpec.Layout layout) {
        List<CompositionSpec.Input> inputs = new ArrayList<>();
        for (int i = 0; i < n; i++) inputs.add(new CompositionSpec.Input("in" + i, null, null, null, null, null, null));
        return LayoutEngine.place(new CompositionSpec("c", new CompositionSpec.Canvas(640, 360, 30, null), inputs,
                layout, null, null).validated());
    }

    static void assertColor(VideoFrame canvas, int x, int y, YuvColor want) {
        YuvColor got = sample(canvas, x, y);
        assertThat(Math.abs(got.y() - want.y())).as("Y at %d,%d: %s vs %s", x, y, got, want).isLessThanOrEqualTo(3);
        assertThat(Math.abs(got.u() - want.u())).as("U at %d,%d: %s vs %s", x, y, got, want).isLessThanOrEqualTo(3);
        assertThat(Math.abs(got.v() - want.v())).as("V at %d,%d: %s vs %s", x, y, got, want).isLessThanOrEqualTo(3);
    }

    @Test
    void gridRegionsHoldTheirInputsColoursAcrossSizes() {
        Renderer r = renderer(640, 360);
        List<Placement> ps = layout(4, new CompositionSpec.Layout("grid", null, null, null));
        // Inputs of different sizes and aspect ratios: 16:9 larger, 16:9 smaller, 4:3, and 16:9 exact.
        VideoFrame[] in = {input(1280, 720, RED), input(160, 90, GREEN), input(320, 240, BLUE), input(320, 180, YELLOW)};
        YuvColor[] colours = {RED, GREEN, BLUE, YELLOW};
        List<Renderer.Layer> layers = new ArrayList<>();
        for (Placement p : ps) layers.add(new Renderer.Layer(p.cell(), in[p.input()], null, null, 0));
        VideoFrame out = r.render(BACKGROUND, layers, 1234);
        assertThat(out.ptsMicros()).isEqualTo(1234);
        for (Placement p : ps) {
            Box c = p.cell().fit(in[p.input()].width(), in[p.input()].height());
            // Centre and near the corners of the picture (3 px in, clear of the scaler's edge blending).
            assertColor(out, c.x() + c.width() / 2, c.y() + c.height() / 2, colours[p.input()]);
            assertColor(out, c.x() + 3, c.y() + 3, colours[p.input()]);
            assertColor(out, c.right() - 4, c.bottom() - 4, colours[p.input()]);
        }
        // The 4:3 input in a 16:9 cell is pillarboxed: the background shows beside it.
        Box blueCell = ps.get(2).cell();
        assertColor(out, blueCell.x() + 4, blueCell.y() + blueCell.height() / 2, BACKGROUND);
    }

    @Test
    void pictureInPictureInsetCoversTheMainPictureInItsCorner() {
        Renderer r = renderer(640, 360);
        List<Placement> ps = layout(3, new CompositionSpec.Layout("pip", "bottom-right", 0.25, null));
        VideoFrame[] in = {input(640, 360, RED), input(320, 180, GREEN), input(320, 180, BLUE)};
        List<Renderer.Layer> layers = new ArrayList<>();
        for (Placement p : ps) layers.add(new Renderer.Layer(p.cell(), in[p.input()], null, null, 0));
        VideoFrame out = r.render(BACKGROUND, layers, 0);
        Box inset1 = ps.get(1).cell(), inset2 = ps.get(2).cell();
        assertThat(inset1.right()).isGreaterThan(600);
        assertThat(inset1.bottom()).isGreaterThan(320);
        assertThat(inset2.bottom()).isLessThan(inset1.y()); // stacked upwards
        assertColor(out, 20, 20, RED);
        assertColor(out, inset1.x() + inset1.width() / 2, inset1.y() + inset1.height() / 2, GREEN);
        assertColor(out, inset2.x() + inset2.width() / 2, inset2.y() + inset2.height() / 2, BLUE);
        assertColor(out, inset1.x() - 4, inset1.y() + 10, RED);
    }

    @Test
    void missingPictureDrawsTheNoSignalSlate() {
        Renderer r = renderer(640, 360);
        Box cell = new Box(0, 0, 320, 180);
        VideoFrame out = r.render(BACKGROUND, List.of(new Renderer.Layer(cell, null, null, null, 0)), 0);
        assertColor(out, 4, 4, YuvColor.SLATE_GREY);
        // "NO SIGNAL" in white across the middle: some pixels on the centre row are near white.
        int bright = 0;
        for (int x = 0; x < 320; x++) {
            if (sample(out, x, 90).y() > 200) bright++;
        }
        assertThat(bright).isBetween(10, 250);
        assertColor(out, 400, 100, BACKGROUND);
    }

    @Test
    void bordersAndLabelsAreDrawnInsideThePicture() {
        Renderer r = renderer(640, 360);
        VideoFrame blue = input(640, 360, BLUE);
        Box cell = new Box(0, 0, 640, 360);
        VideoFrame out = r.render(BACKGROUND,
                List.of(new Renderer.Layer(cell, blue, "Camera 1", YuvColor.parse("#FFFF00"), 4)), 0);
        YuvColor yellow = YuvColor.parse("#FFFF00");
        assertColor(out, 1, 100, yellow);
        assertColor(out, 638, 100, yellow);
        assertColor(out, 320, 1, yellow);
        assertColor(out, 320, 358, yellow);
        assertColor(out, 320, 100, BLUE);
        // Label at the bottom left: white text on a darkened box.
        int white = 0, dark = 0;
        for (int y = 300; y < 356; y++) {
            for (int x = 6; x < 200; x++) {
                int luma = sample(out, x, y).y();
                if (luma > 200) white++;
                if (luma < BLUE.y() - 10) dark++;
            }
        }
        assertThat(white).isGreaterThan(50);
        assertThat(dark).isGreaterThan(200);
    }

    @Test
    void secondRenderReusesTheCanvasAndRedrawsEverything() {
        Renderer r = renderer(640, 360);
        Box cell = new Box(0, 0, 320, 180);
        VideoFrame first = r.render(BACKGROUND, List.of(new Renderer.Layer(cell, input(320, 180, RED), null, null, 0)), 0);
        VideoFrame second = r.render(BACKGROUND, List.of(new Renderer.Layer(new Box(320, 180, 320, 180),
                input(320, 180, GREEN), null, null, 0)), 33_333);
        assertThat(second).isSameAs(first);
        assertColor(second, 100, 100, BACKGROUND);
        assertColor(second, 400, 300, GREEN);
    }

    /** The encoder thread holds a reference to a canvas (CanvasEncoder): the next render must not draw over it. */
    @Test
    void canvasStillReferencedByTheEncoderIsNotDrawnOver() {
        Renderer r = renderer(640, 360);
        Box whole = new Box(0, 0, 640, 360);
        VideoFrame first = r.render(BACKGROUND, List.of(new Renderer.Layer(whole, input(640, 360, RED), null, null, 0)), 0);
        VideoFrame held = VideoFrame.adopt(av_frame_clone(first.avFrame()), first.ptsMicros());
        owned.add(held);
        VideoFrame second = r.render(BACKGROUND, List.of(new Renderer.Layer(whole, input(640, 360, BLUE), null, null, 0)),
                33_333);
        assertThat(second.avFrame().data(0).address()).isNotEqualTo(held.avFrame().data(0).address());
        assertColor(held, 320, 180, RED);
        assertColor(second, 320, 180, BLUE);
        held.close();
        // Released: the renderer goes back to drawing into it, nothing new allocated.
        VideoFrame third = r.render(BACKGROUND, List.of(new Renderer.Layer(whole, input(640, 360, GREEN), null, null, 0)),
                66_666);
        assertThat(third).isSameAs(second);
        assertColor(third, 320, 180, GREEN);
    }

    /** A grid that covers the canvas skips the background fill; a letterboxed picture still gets it around. */
    @Test
    void letterboxedPictureKeepsTheBackgroundAroundIt() {
        Renderer r = renderer(640, 360);
        VideoFrame out = r.render(BACKGROUND, List.of(new Renderer.Layer(new Box(0, 0, 640, 360),
                input(360, 360, YELLOW), null, null, 0)), 0);
        assertColor(out, 320, 180, YELLOW);
        assertColor(out, 20, 180, BACKGROUND);
        assertColor(out, 620, 180, BACKGROUND);
    }
}
