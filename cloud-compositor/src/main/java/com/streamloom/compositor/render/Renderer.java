package com.streamloom.compositor.render;

import com.streamloom.compositor.layout.Box;
import com.streamloom.media.frame.VideoFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_is_writable;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Draws one output picture: the background colour, then each layer in the order given (ascending
 * z): the input's picture scaled into its letterboxed rectangle, or the "NO SIGNAL" slate, then its border and its
 * label.
 *
 * <p>Speed: everything works on the I420 planes directly. Pictures usually arrive already shrunk to their cell by
 * the input's worker ({@link TileScaler}) and are copied; any other is scaled here with one OpenCV {@code resize}
 * per plane straight into a region of the canvas ({@link #interpolation}); the region views and sizes are cached per rectangle, fills are
 * {@code memset}s per row, and text is drawn with Java2D once per label and then only blended. Nothing native is
 * allocated per frame once the layout is steady.
 *
 * <p>Ownership: the renderer owns a small ring of canvases ({@link #CANVASES}, allocated as they are first needed).
 * {@link #render} returns one; it stays valid until the next call. A consumer that keeps it longer (the encoder on
 * its own thread, see {@code CanvasEncoder}) takes a reference to its buffers ({@code av_frame_clone}), no copy:
 * the next render draws into a canvas whose buffers nobody else references ({@code av_frame_is_writable}), so a
 * canvas still queued or being encoded is never drawn over, and nothing is allocated or copied per frame while the
 * consumer is at most {@code CANVASES - 1} frames behind. Not thread-safe: one output thread.
 */
public final class Renderer implements AutoCloseable {
    /** Most cached region views and text sprites before the caches are emptied (a layout that keeps changing). */
    static final int MAX_CACHED = 128;
    /**
     * Canvases in the ring: one being drawn, one waiting in the encoder's one-frame hand-off, one being encoded.
     */
    public static final int CANVASES = 3;

    /**
     * One input as drawn in one frame.
     *
     * @param frame       the picture, borrowed for this call; null draws the "no signal" slate
     * @param label       text in the picture's bottom-left corner, or null
     * @param borderWidth 0 for none; drawn inside the picture's rectangle
     */
    public record Layer(Box cell, VideoFrame frame, String label, YuvColor border, int borderWidth) {
    }

    /** Region views of the canvas planes for one rectangle, with the sizes resize needs. */
    private static final class Target implements AutoCloseable {
        final Mat y, u, v;
        final Size lumaSize, chromaSize;

        Target(VideoFrame canvas, Box b) {
            try (Rect ly = new Rect(b.x(), b.y(), b.width(), b.height());
                 Rect c = new Rect(b.x() / 2, b.y() / 2, b.width() / 2, b.height() / 2)) {
                y = new Mat(canvas.y(), ly);
                u = new Mat(canvas.u(), c);
                v = new Mat(canvas.v(), c);
            }
            lumaSize = new Size(b.width(), b.height());
            chromaSize = new Size(b.width() / 2, b.height() / 2);
        }

        @Override
        public void close() {
            y.close();
            u.close();
            v.close();
            lumaSize.close();
            chromaSize.close();
        }
    }

    private final int width;
    private final int height;
    private final int labelPixels;
    private final Canvas[] ring = new Canvas[CANVASES];
    /** The canvas of the current render; fill, blend and scale draw into it. */
    private Canvas canvas;
    private BytePointer[] planes;
    private int[] stride;
    private final Map<String, Sprite> sprites = new HashMap<>();
    private final byte[] row;

    public Renderer(int width, int height) {
        this.width = width;
        this.height = height;
        this.labelPixels = Math.max(12, height / 24);
        this.row = new byte[width];
        ring[0] = new Canvas(width, height);
        // Java2D loads its fonts on first use, which can take seconds: pay that here, not in the first output tick.
        sprite("NO SIGNAL", labelPixels, false);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Draws the layers over the background and returns the canvas (see the class comment on ownership). */
    public VideoFrame render(YuvColor background, List<Layer> layers, long ptsMicros) {
        canvas = nextCanvas();
        planes = canvas.planes;
        stride = canvas.stride;
        canvas.frame.setPtsMicros(ptsMicros);
        fillUncovered(background, layers);
        for (Layer layer : layers) {
            drawLayer(layer);
        }
        return canvas.frame;
    }

    /**
     * The last canvas again if nobody else references it (no asynchronous consumer, or it is done), else the next
     * free one of the ring. With every canvas still referenced (a consumer more than {@code CANVASES - 1} frames
     * behind) the next one is made writable, which copies it away from its readers (allocation, but never a
     * picture drawn over while it is read).
     */
    private Canvas nextCanvas() {
        int start = canvas == null ? 0 : indexOf(canvas);
        for (int k = 0; k < CANVASES; k++) {
            int i = (start + k) % CANVASES;
            if (ring[i] == null) ring[i] = new Canvas(width, height);
            if (av_frame_is_writable(ring[i].frame.avFrame()) != 0) return ring[i];
        }
        Canvas c = ring[(start + 1) % CANVASES];
        c.makeWritable();
        return c;
    }

    private int indexOf(Canvas c) {
        for (int i = 0; i < CANVASES; i++) {
            if (ring[i] == c) return i;
        }
        throw new IllegalStateException("canvas not in the ring");
    }

    /**
     * Fills with the background only what no opaque layer covers: a full grid covers the whole canvas, and
     * filling it first would write every pixel twice. Any layer that may leave its cell partly uncovered (a
     * letterboxed picture, a layer over another) makes the whole canvas filled, as before.
     */
    private void fillUncovered(YuvColor background, List<Layer> layers) {
        long covered = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            Box content = l.frame() == null ? l.cell() : l.cell().fit(l.frame().width(), l.frame().height());
            if (!content.equals(l.cell()) || !l.cell().within(width, height)) {
                covered = -1;
                break;
            }
            for (int j = 0; j < i; j++) {
                if (layers.get(j).cell().intersects(l.cell())) {
                    covered = -1;
                    break;
                }
            }
            if (covered < 0) break;
            covered += (long) l.cell().width() * l.cell().height();
        }
        if (covered != (long) width * height) fill(0, 0, width, height, background);
    }

    private void drawLayer(Layer layer) {
        Box cell = layer.cell();
        if (!cell.within(width, height)) {
            throw new IllegalArgumentException("layer " + cell + " is outside the " + width + "x" + height + " canvas");
        }
        Box content;
        VideoFrame src = layer.frame();
        if (src == null) {
            content = cell;
            drawSlate(cell);
        } else {
            content = cell.fit(src.width(), src.height());
            scaleInto(src, content);
        }
        if (layer.borderWidth() > 0 && layer.border() != null) {
            drawBorder(content, layer.borderWidth(), layer.border());
        }
        if (layer.label() != null && !layer.label().isEmpty()) {
            Sprite s = sprite(layer.label(), labelPixels, true);
            int margin = (labelPixels / 3) & ~1;
            blend(s, content.x() + margin + layer.borderWidth() / 2 * 2,
                    content.bottom() - margin - s.height - layer.borderWidth() / 2 * 2, content);
        }
    }

    private void scaleInto(VideoFrame src, Box content) {
        Target t = canvas.target(content);
        if (src.width() == content.width() && src.height() == content.height()) {
            // The usual case: the input's worker already shrank the picture to this size (TileScaler).
            src.y().copyTo(t.y);
            src.u().copyTo(t.u);
            src.v().copyTo(t.v);
            return;
        }
        int interpolation = interpolation(src.width(), src.height(), content.width(), content.height());
        resize(src.y(), t.y, t.lumaSize, 0, 0, interpolation);
        resize(src.u(), t.u, t.chromaSize, 0, 0, interpolation);
        resize(src.v(), t.v, t.chromaSize, 0, 0, interpolation);
    }

    /**
     * The OpenCV interpolation for scaling a picture from one size to another: INTER_AREA for whole-number shrink
     * factors (2:1 for 720p into a 2x2 grid), where OpenCV averages blocks on a fast path; INTER_LINEAR otherwise,
     * because for other factors INTER_AREA's general path costs ten times more (measured: 720p into a 3x2 grid went
     * from 2 to 20 ms per frame). {@link TileScaler} uses the same choice, so a picture looks the same whichever
     * thread scaled it.
     */
    public static int interpolation(int srcWidth, int srcHeight, int dstWidth, int dstHeight) {
        boolean integralShrink = dstWidth <= srcWidth && dstHeight <= srcHeight
                && srcWidth % dstWidth == 0 && srcHeight % dstHeight == 0
                && srcWidth / dstWidth == srcHeight / dstHeight;
        return integralShrink ? INTER_AREA : INTER_LINEAR;
    }

    /** Grey with "NO SIGNAL" centred, sized to the cell. */
    private void drawSlate(Box cell) {
        fill(cell.x(), cell.y(), cell.width(), cell.height(), YuvColor.SLATE_GREY);
        int px = Math.max(8, Math.min(cell.height() / 5, cell.width() / 6));
        Sprite s = sprite("NO SIGNAL", px, false);
        blend(s, cell.x() + ((cell.width() - s.width) / 2 & ~1), cell.y() + ((cell.height() - s.height) / 2 & ~1), cell);
    }

    private void drawBorder(Box b, int requested, YuvColor color) {
        // Even width so the border covers whole chroma samples; at most half the picture.
        int bw = Math.min((requested + 1) & ~1, Math.min(b.width(), b.height()) / 2 & ~1);
        if (bw <= 0) return;
        fill(b.x(), b.y(), b.width(), bw, color);
        fill(b.x(), b.bottom() - bw, b.width(), bw, color);
        fill(b.x(), b.y() + bw, bw, b.height() - 2 * bw, color);
        fill(b.right() - bw, b.y() + bw, bw, b.height() - 2 * bw, color);
    }

    /** Fills an even-aligned rectangle on all three planes. */
    private void fill(int x, int y, int w, int h, YuvColor c) {
        if (w <= 0 || h <= 0) return;
        for (int r = y; r < y + h; r++) {
            Pointer.memset(planes[0].position((long) r * stride[0] + x), c.y(), w);
        }
        for (int r = y / 2; r < (y + h) / 2; r++) {
            Pointer.memset(planes[1].position((long) r * stride[1] + x / 2), c.u(), w / 2);
            Pointer.memset(planes[2].position((long) r * stride[2] + x / 2), c.v(), w / 2);
        }
    }

    /** Alpha-blends a sprite with its top-left at (x, y), clipped to {@code clip}. */
    private void blend(Sprite s, int x, int y, Box clip) {
        x &= ~1;
        y &= ~1;
        int x0 = Math.max(x, clip.x()), y0 = Math.max(y, clip.y());
        int x1 = Math.min(x + s.width, clip.right()), y1 = Math.min(y + s.height, clip.bottom());
        if (x1 - x0 < 2 || y1 - y0 < 2) return;
        blendPlane(planes[0], stride[0], s.y, s.alpha, s.width, x0 - x, y0 - y, x0, y0, x1 - x0, y1 - y0);
        int cw = s.width / 2, cx = (x0 - x) / 2, cy = (y0 - y) / 2;
        blendPlane(planes[1], stride[1], s.u, s.chromaAlpha, cw, cx, cy, x0 / 2, y0 / 2, (x1 - x0) / 2, (y1 - y0) / 2);
        blendPlane(planes[2], stride[2], s.v, s.chromaAlpha, cw, cx, cy, x0 / 2, y0 / 2, (x1 - x0) / 2, (y1 - y0) / 2);
    }

    private void blendPlane(BytePointer plane, int planeStride, byte[] src, byte[] alpha, int srcStride,
                            int sx, int sy, int dx, int dy, int w, int h) {
        for (int r = 0; r < h; r++) {
            BytePointer p = plane.position((long) (dy + r) * planeStride + dx);
            p.get(row, 0, w);
            int si = (sy + r) * srcStride + sx;
            for (int i = 0; i < w; i++) {
                int a = alpha[si + i] & 0xff;
                if (a != 0) {
                    row[i] = (byte) (((row[i] & 0xff) * (255 - a) + (src[si + i] & 0xff) * a + 127) / 255);
                }
            }
            p.put(row, 0, w);
        }
    }

    private Sprite sprite(String text, int pixels, boolean boxed) {
        String key = (boxed ? "label:" : "slate:") + pixels + ":" + text;
        Sprite s = sprites.get(key);
        if (s == null) {
            if (sprites.size() >= MAX_CACHED) sprites.clear();
            s = Sprite.text(text, pixels, boxed);
            sprites.put(key, s);
        }
        return s;
    }

    /** One canvas of the ring with its plane pointers and its cached region views. */
    private static final class Canvas implements AutoCloseable {
        final VideoFrame frame;
        final BytePointer[] planes = new BytePointer[3];
        final int[] stride = new int[3];
        private final Map<Box, Target> targets = new HashMap<>();

        Canvas(int width, int height) {
            frame = VideoFrame.allocate(width, height, 0);
            bindPlanes();
        }

        Target target(Box content) {
            Target t = targets.get(content);
            if (t == null) {
                if (targets.size() >= MAX_CACHED) clearTargets();
                t = new Target(frame, content);
                targets.put(content, t);
            }
            return t;
        }

        void makeWritable() {
            long before = frame.avFrame().data(0).address();
            frame.makeWritable();
            // A reader still held the old buffers, so makeWritable moved us: every cached view is stale.
            if (frame.avFrame().data(0).address() != before) bindPlanes();
        }

        private void bindPlanes() {
            clearTargets();
            for (int i = 0; i < 3; i++) {
                planes[i] = frame.avFrame().data(i);
                stride[i] = frame.avFrame().linesize(i);
            }
        }

        private void clearTargets() {
            for (Iterator<Target> it = targets.values().iterator(); it.hasNext(); ) {
                it.next().close();
                it.remove();
            }
        }

        @Override
        public void close() {
            clearTargets();
            frame.close();
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < CANVASES; i++) {
            if (ring[i] != null) ring[i].close();
            ring[i] = null;
        }
        canvas = null;
    }
}
