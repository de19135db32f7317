package com.streamloom.compositor.render;

import com.streamloom.compositor.layout.Box;
import com.streamloom.media.frame.VideoFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The input worker's scaling ({@link TileScaler}) must give the picture the renderer would have drawn had it
 * scaled the full-size frame itself: the same size, the same interpolation, byte for byte.
 */
class TileScalerTest {
    private final List<AutoCloseable> owned = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : owned) c.close();
    }

    private <T extends AutoCloseable> T own(T t) {
        owned.add(t);
        return t;
    }

    /** A frame of random pixels: any difference in filter or rounding shows. */
    static VideoFrame noise(int w, int h, long seed) {
        VideoFrame f = VideoFrame.allocate(w, h, 40_000);
        Random r = new Random(seed);
        for (int plane = 0; plane < 3; plane++) {
            int pw = plane == 0 ? w : w / 2, ph = plane == 0 ? h : h / 2;
            byte[] row = new byte[pw];
            for (int y = 0; y < ph; y++) {
                r.nextBytes(row);
                f.avFrame().data(plane).position((long) y * f.avFrame().linesize(plane)).put(row, 0, pw);
            }
        }
        return f;
    }

    private static byte[] planes(VideoFrame f) {
        int w = f.width(), h = f.height();
        byte[] out = new byte[w * h * 3 / 2];
        int o = 0;
        for (int plane = 0; plane < 3; plane++) {
            int pw = plane == 0 ? w : w / 2, ph = plane == 0 ? h : h / 2;
            for (int y = 0; y < ph; y++) {
                f.avFrame().data(plane).position((long) y * f.avFrame().linesize(plane)).get(out, o, pw);
                o += pw;
            }
        }
        return out;
    }

    private byte[] rendered(Box cell, VideoFrame picture) {
        try (Renderer r = new Renderer(1280, 720)) {
            VideoFrame canvas = r.render(YuvColor.parse("#102030"),
                    List.of(new Renderer.Layer(cell, picture, null, null, 0)), 0);
            return planes(canvas);
        }
    }

    @ParameterizedTest(name = "{0}x{1} into a {4}x{5} cell")
    @CsvSource({
            "1280, 720, 0, 0, 640, 360",    // 2x2 grid: INTER_AREA's 2:1 fast path
            "1280, 720, 0, 0, 426, 240",    // 3x3 grid: INTER_LINEAR
            "1920, 1080, 0, 0, 320, 180",   // a 4x4 grid tile from 1080p (6:1)
            "1280, 720, 100, 60, 640, 480", // letterboxed into a 4:3 cell
            "640, 480, 0, 0, 640, 360",     // pillarboxed 4:3 picture
            "1280, 720, 420, 240, 500, 300" // odd scale, rounded to even sizes
    })
    void theWorkersScalingDrawsTheSamePictureAsTheRenderersOwn(int w, int h, int x, int y, int cw, int ch) {
        Box cell = new Box(x, y, cw, ch);
        VideoFrame full = own(noise(w, h, w * 31L + cw));
        byte[] expected = rendered(cell, full);

        TileScaler scaler = own(new TileScaler());
        scaler.target(cell);
        VideoFrame small = own(scaler.fit(full.copy()));
        Box content = cell.fit(w, h);
        assertThat(small.width()).isEqualTo(content.width());
        assertThat(small.height()).isEqualTo(content.height());
        assertThat(small.ptsMicros()).isEqualTo(40_000);

        assertThat(rendered(cell, small)).isEqualTo(expected);
    }

    @Test
    void picturesThatWouldGrowOrHaveNoCellAreLeftAsTheyAre() {
        TileScaler scaler = own(new TileScaler());
        VideoFrame f = own(noise(320, 180, 1));
        assertThat(scaler.fit(f)).isSameAs(f);          // no cell yet
        scaler.target(new Box(0, 0, 640, 360));
        assertThat(scaler.fit(f)).isSameAs(f);          // the renderer enlarges; the buffer keeps 320x180
        scaler.target(new Box(0, 0, 320, 180));
        assertThat(scaler.fit(f)).isSameAs(f);          // already the cell's size
        assertThat(f.isClosed()).isFalse();
    }

    @Test
    void aNewCellSizeTakesEffectAtTheNextPictureAndTheInputFrameIsClosed() {
        TileScaler scaler = own(new TileScaler());
        scaler.target(new Box(0, 0, 640, 360));
        VideoFrame in = noise(1280, 720, 2);
        VideoFrame a = own(scaler.fit(in));
        assertThat(in.isClosed()).isTrue();
        assertThat(a.width()).isEqualTo(640);
        scaler.target(new Box(0, 0, 320, 180));
        VideoFrame b = own(scaler.fit(noise(1280, 720, 3)));
        assertThat(b.width()).isEqualTo(320);
        assertThat(b.height()).isEqualTo(180);
        // The picture scaled for the old layout is still whole after its pool was replaced.
        assertThat(a.y().ptr(359, 639).get()).isEqualTo(a.y().ptr(359, 639).get());
        assertThat(planes(a)).hasSize(640 * 360 * 3 / 2);
    }
}
