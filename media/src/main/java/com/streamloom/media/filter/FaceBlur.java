package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import com.streamloom.media.pipeline.FrameStage;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Finds faces and blurs them, for privacy (stage type {@code face-blur}).
 *
 * <p>Detection uses OpenCV's frontal-face Haar cascade shipped in the OpenCV natives jar, run directly on the luma
 * plane (a Haar cascade works on grey pictures, and luma is one: no colour conversion), on a copy shrunk so that the
 * smallest wanted face is still about {@value #SMALLEST_WINDOW} pixels (the cascade's window size), which keeps
 * detection cheap at 1080p. It runs every {@code detectEvery} frames; the frames in between reuse the boxes.
 *
 * <p>For privacy the stage errs towards blurring too much: each box grows by {@code padding} on every side, the
 * boxes of the previous detection that the current one does not cover are kept for one more round, so a face the
 * cascade misses once (a turned head, motion blur) stays blurred, and a large face gets a kernel in proportion to
 * its size (at least the configured one), so a close-up at 1080p is hidden as well as a small face at 360p.
 */
public final class FaceBlur extends FrameStage {
    /** The Haar cascade's own window: a face smaller than this in the detection picture cannot be found. */
    private static final int SMALLEST_WINDOW = 24;
    /** Detection pictures wider than this cost time and find nothing more at the default minimum face size. */
    private static final int DETECTION_WIDTH = 640;
    private static final double SCALE_STEP = 1.1;
    private static final int MIN_NEIGHBOURS = 3;
    /** A kernel a quarter of the face's size makes features (eyes, mouth) unrecognisable. */
    private static final int FACE_TO_KERNEL = 4;
    private static final int KERNEL_STEP = 20;
    private static final int MAX_KERNEL = 301;

    private final int detectEvery;
    private final int minSize;
    private final double padding;
    private final int kernel;
    /** Blurs by kernel size: the configured one, plus larger ones made for large faces. */
    private final Map<Integer, PlaneBlur> blurs = new HashMap<>();
    private final CascadeClassifier cascade;

    private final Mat small = new Mat();
    private final Mat equalized = new Mat();
    private final RectVector found = new RectVector();
    private final Size smallSize = new Size();
    private final Size noMaxSize = new Size();
    private final Size minFace = new Size();
    private final Rect lumaBox = new Rect();
    private final Rect chromaBox = new Rect();

    /** A face box in luma pixels: padded, clipped to the frame, on even coordinates. */
    public record Box(int x, int y, int width, int height) {
        long area() {
            return (long) width * height;
        }

        long overlap(Box o) {
            long w = Math.max(0, Math.min(x + width, o.x + o.width) - Math.max(x, o.x));
            long h = Math.max(0, Math.min(y + height, o.y + o.height) - Math.max(y, o.y));
            return w * h;
        }
    }

    private List<Box> boxes = List.of();
    private List<Box> previousBoxes = List.of();
    private long framesSeen;
    private int lastWidth;
    private int lastHeight;

    /**
     * @param kernel      odd blur kernel in luma pixels (large: the face must become unrecognisable)
     * @param detectEvery run the cascade every this many frames
     * @param minSize     smallest face to find, in luma pixels
     * @param padding     fraction of the face box added on each side
     */
    public FaceBlur(int kernel, int detectEvery, int minSize, double padding) {
        super("face-blur");
        if (detectEvery < 1 || minSize < 1 || !(padding >= 0) || Double.isInfinite(padding)) {
            throw new IllegalArgumentException("face-blur needs detectEvery >= 1, minSize >= 1 and padding >= 0, got "
                    + detectEvery + ", " + minSize + ", " + padding);
        }
        this.detectEvery = detectEvery;
        this.minSize = minSize;
        this.padding = padding;
        this.kernel = kernel;
        blurs.put(kernel, new PlaneBlur(kernel, 0));
        // One classifier per stage: detectMultiScale keeps per-call state, so instances are not shared between
        // streams' threads; the XML file itself is extracted once per JVM.
        this.cascade = new CascadeClassifier(CascadeFile.PATH);
        if (cascade.empty()) {
            cascade.close();
            blurs.values().forEach(PlaneBlur::close);
            throw new IllegalStateException("could not load the face cascade from " + CascadeFile.PATH);
        }
    }

    @Override
    protected VideoFrame process(VideoFrame frame, FrameContext context) {
        if (frame.width() != lastWidth || frame.height() != lastHeight) {
            // Boxes from another picture size are meaningless; detect on this frame.
            boxes = previousBoxes = List.of();
            framesSeen = 0;
            lastWidth = frame.width();
            lastHeight = frame.height();
        }
        if (framesSeen++ % detectEvery == 0) {
            List<Box> current = detect(frame);
            previousBoxes = notCoveredBy(boxes, current);
            boxes = current;
        }
        if (boxes.isEmpty() && previousBoxes.isEmpty()) {
            return frame;
        }
        frame.makeWritable();
        for (Box b : boxes) {
            blurBox(frame, b);
        }
        for (Box b : previousBoxes) {
            blurBox(frame, b);
        }
        return frame;
    }

    /** The boxes currently blurred, newest detection first. For tests and logs. */
    public List<Box> boxes() {
        List<Box> all = new ArrayList<>(boxes);
        all.addAll(previousBoxes);
        return List.copyOf(all);
    }

    private List<Box> detect(VideoFrame frame) {
        double scale = Math.min(1.0, Math.max((double) DETECTION_WIDTH / frame.width(),
                (double) SMALLEST_WINDOW / minSize));
        Mat gray = frame.y();
        if (scale < 1.0) {
            smallSize.width((int) Math.round(frame.width() * scale)).height((int) Math.round(frame.height() * scale));
            resize(gray, small, smallSize, 0, 0, INTER_AREA);
            gray = small;
        }
        // Evens out lighting, as OpenCV's face detection samples do; the cascade was trained on equalised faces.
        equalizeHist(gray, equalized);
        int smallestFace = Math.max(SMALLEST_WINDOW, (int) Math.round(minSize * scale));
        minFace.width(smallestFace).height(smallestFace);
        cascade.detectMultiScale(equalized, found, SCALE_STEP, MIN_NEIGHBOURS, 0, minFace, noMaxSize);

        List<Box> result = new ArrayList<>((int) found.size());
        for (long i = 0; i < found.size(); i++) {
            Rect r = found.get(i);
            double x = r.x() / scale;
            double y = r.y() / scale;
            double w = r.width() / scale;
            double h = r.height() / scale;
            Box box = clippedEvenBox(x - w * padding, y - h * padding, w * (1 + 2 * padding), h * (1 + 2 * padding),
                    frame.width(), frame.height());
            if (box != null) {
                result.add(box);
            }
        }
        return List.copyOf(result);
    }

    /** The boxes of {@code earlier} that no box of {@code current} already covers for the most part. */
    private static List<Box> notCoveredBy(List<Box> earlier, List<Box> current) {
        return earlier.stream()
                .filter(e -> current.stream().noneMatch(c -> c.overlap(e) * 2 > e.area()))
                .toList();
    }

    /** Clips to the frame and widens to even edges so the box maps exactly onto the 4:2:0 chroma planes. */
    private static Box clippedEvenBox(double x, double y, double w, double h, int frameWidth, int frameHeight) {
        int left = Math.max(0, (int) Math.floor(x)) & ~1;
        int top = Math.max(0, (int) Math.floor(y)) & ~1;
        int right = Math.min(frameWidth & ~1, roundUpToEven(x + w));
        int bottom = Math.min(frameHeight & ~1, roundUpToEven(y + h));
        if (right - left < 2 || bottom - top < 2) {
            return null;
        }
        return new Box(left, top, right - left, bottom - top);
    }

    private static int roundUpToEven(double v) {
        return ((int) Math.ceil(v) + 1) & ~1;
    }

    private void blurBox(VideoFrame frame, Box b) {
        lumaBox.x(b.x()).y(b.y()).width(b.width()).height(b.height());
        chromaBox.x(b.x() / 2).y(b.y() / 2).width(b.width() / 2).height(b.height() / 2);
        blurFor(Math.min(b.width(), b.height())).blur(frame, lumaBox, chromaBox);
    }

    /**
     * The blur for a box: the configured kernel, or a larger one for a large face, because a fixed kernel that
     * hides a face at 360p leaves a close-up at 1080p recognisable. Kernels are rounded up to a few sizes so that
     * the cache of blurs stays small.
     */
    private PlaneBlur blurFor(int boxSide) {
        int wanted = boxSide / FACE_TO_KERNEL;
        if (wanted <= kernel) {
            return blurs.get(kernel);
        }
        int rounded = Math.min(MAX_KERNEL, ((wanted + KERNEL_STEP - 1) / KERNEL_STEP) * KERNEL_STEP + 1);
        return blurs.computeIfAbsent(rounded, k -> new PlaneBlur(k, 0));
    }

    @Override
    public void close() {
        cascade.close();
        blurs.values().forEach(PlaneBlur::close);
        blurs.clear();
        small.close();
        equalized.close();
        found.close();
        smallSize.close();
        noMaxSize.close();
        minFace.close();
        lumaBox.close();
        chromaBox.close();
    }

    /** The frontal-face cascade, extracted from the OpenCV natives jar once per JVM (lazily, on first use). */
    private static final class CascadeFile {
        static final String PATH = extract();

        private static String extract() {
            String resource = "/org/bytedeco/opencv/" + Loader.getPlatform()
                    + "/share/opencv4/haarcascades/haarcascade_frontalface_alt.xml";
            try {
                File file = Loader.cacheResource(FaceBlur.class, resource);
                if (file == null) {
                    throw new IllegalStateException("the OpenCV natives jar for " + Loader.getPlatform()
                            + " has no " + resource);
                }
                return file.getAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException("could not extract the face cascade " + resource, e);
            }
        }
    }
}
