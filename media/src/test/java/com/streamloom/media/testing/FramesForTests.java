package com.streamloom.media.testing;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.meanStdDev;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2YUV_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.Laplacian;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

/**
 * Builds {@link VideoFrame}s for tests (flat colours, checkerboards, noise, image files) and measures planes
 * (mean, noise, high-frequency energy, single samples). Every frame returned is owned by the caller.
 */
public final class FramesForTests {
    private FramesForTests() {
    }

    /** A frame where every luma sample is {@code y} and every chroma sample {@code u} / {@code v}. */
    public static VideoFrame flat(int width, int height, int y, int u, int v) {
        VideoFrame f = VideoFrame.allocate(width, height, 0);
        fill(f.y(), y);
        fill(f.u(), u);
        fill(f.v(), v);
        return f;
    }

    /**
     * A luma checkerboard of {@code cell}-pixel squares alternating {@code dark} and {@code light}, on chroma with
     * a horizontal ramp in U and a vertical ramp in V (so colour placement is checkable too).
     */
    public static VideoFrame checkerboard(int width, int height, int cell, int dark, int light) {
        VideoFrame f = VideoFrame.allocate(width, height, 0);
        byte[] row = new byte[width];
        for (int yy = 0; yy < height; yy++) {
            for (int xx = 0; xx < width; xx++) {
                row[xx] = (byte) (((xx / cell) + (yy / cell)) % 2 == 0 ? dark : light);
            }
            putRow(f.y(), yy, row);
        }
        int cw = width / 2;
        byte[] uRow = new byte[cw];
        byte[] vRow = new byte[cw];
        for (int yy = 0; yy < height / 2; yy++) {
            for (int xx = 0; xx < cw; xx++) {
                uRow[xx] = (byte) (16 + xx * 224 / Math.max(1, cw - 1));
                vRow[xx] = (byte) (16 + yy * 224 / Math.max(1, height / 2 - 1));
            }
            putRow(f.u(), yy, uRow);
            putRow(f.v(), yy, vRow);
        }
        return f;
    }

    /** A flat grey picture (luma {@code mean}, neutral chroma) with Gaussian luma noise of {@code sigma}. */
    public static VideoFrame noisy(int width, int height, int mean, double sigma, long seed) {
        VideoFrame f = flat(width, height, mean, 128, 128);
        addNoise(f, sigma, new Random(seed));
        return f;
    }

    /** Adds Gaussian noise of {@code sigma} to every luma sample of {@code frame} (saturating). */
    public static void addNoise(VideoFrame frame, double sigma, Random random) {
        byte[] row = new byte[frame.width()];
        for (int yy = 0; yy < frame.height(); yy++) {
            for (int xx = 0; xx < frame.width(); xx++) {
                int value = luma(frame, xx, yy) + (int) Math.round(random.nextGaussian() * sigma);
                row[xx] = (byte) Math.max(0, Math.min(255, value));
            }
            putRow(frame.y(), yy, row);
        }
    }

    /**
     * Reads an image file (PNG, JPEG, ...) into an I420 frame with OpenCV: imread, then one BGR → I420
     * conversion. An odd width or height loses its last column or row (4:2:0 needs even sizes).
     */
    public static VideoFrame image(Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read image " + file);
        }
        try (Mat bgr = imread(file.toString(), IMREAD_COLOR)) {
            if (bgr.empty()) {
                throw new IllegalArgumentException("OpenCV cannot decode image " + file);
            }
            return fromBgr(bgr);
        }
    }

    /** Converts a BGR picture (CV_8UC3) into a new I420 frame. */
    public static VideoFrame fromBgr(Mat bgr) {
        int width = bgr.cols() & ~1;
        int height = bgr.rows() & ~1;
        try (Rect even = new Rect(0, 0, width, height);
             Mat evenBgr = new Mat(bgr, even);
             Mat i420 = new Mat()) {
            // OpenCV's I420 result is one (height * 3/2) x width Mat: the Y rows, then U and V packed at half
            // width, two chroma rows per Mat row.
            cvtColor(evenBgr, i420, COLOR_BGR2YUV_I420);
            VideoFrame f = VideoFrame.allocate(width, height, 0);
            int chromaRows = height / 4;
            try (Mat y = i420.rowRange(0, height);
                 Mat u = i420.rowRange(height, height + chromaRows);
                 Mat v = i420.rowRange(height + chromaRows, height + 2 * chromaRows);
                 Mat uPlane = u.reshape(1, height / 2);
                 Mat vPlane = v.reshape(1, height / 2)) {
                y.copyTo(f.y());
                uPlane.copyTo(f.u());
                vPlane.copyTo(f.v());
            }
            return f;
        }
    }

    /** One luma sample. */
    public static int luma(VideoFrame frame, int x, int y) {
        return sample(frame.y(), x, y);
    }

    /** One sample of any 8-bit plane. */
    public static int sample(Mat plane, int x, int y) {
        return plane.ptr(y, x).get() & 0xFF;
    }

    /** Mean of a plane (or a sub-Mat of one). */
    public static double mean(Mat plane) {
        return meanAndStd(plane)[0];
    }

    /** Standard deviation of a plane: the noise level of a picture that should be flat. */
    public static double stddev(Mat plane) {
        return meanAndStd(plane)[1];
    }

    /** Variance of the Laplacian: the usual measure of high-frequency energy (sharpness, detail, noise). */
    public static double laplacianVariance(Mat plane) {
        try (Mat laplacian = new Mat()) {
            Laplacian(plane, laplacian, CV_64F);
            double sd = meanAndStd(laplacian)[1];
            return sd * sd;
        }
    }

    /** The {@code x, y, width, height} part of a plane, as a view sharing its memory; close it after use. */
    public static Mat region(Mat plane, int x, int y, int width, int height) {
        try (Rect r = new Rect(x, y, width, height)) {
            return new Mat(plane, r);
        }
    }

    /** Minimum and maximum sample of a plane. */
    public static int[] range(Mat plane) {
        int min = 255;
        int max = 0;
        for (int yy = 0; yy < plane.rows(); yy++) {
            for (int xx = 0; xx < plane.cols(); xx++) {
                int s = sample(plane, xx, yy);
                min = Math.min(min, s);
                max = Math.max(max, s);
            }
        }
        return new int[] {min, max};
    }

    /** True if the two planes have the same size and the same samples. */
    public static boolean samePixels(Mat a, Mat b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            return false;
        }
        byte[] rowA = new byte[a.cols()];
        byte[] rowB = new byte[b.cols()];
        for (int yy = 0; yy < a.rows(); yy++) {
            a.ptr(yy).get(rowA);
            b.ptr(yy).get(rowB);
            if (!java.util.Arrays.equals(rowA, rowB)) {
                return false;
            }
        }
        return true;
    }

    private static double[] meanAndStd(Mat plane) {
        try (Mat mean = new Mat(); Mat sd = new Mat()) {
            meanStdDev(plane, mean, sd);
            return new double[] {mean.ptr(0).getDouble(), sd.ptr(0).getDouble()};
        }
    }

    /** Sets every sample of a plane (or a region view of one) to {@code value}. */
    public static void fill(Mat plane, int value) {
        try (Scalar s = new Scalar(value)) {
            plane.put(s);
        }
    }

    private static void putRow(Mat plane, int y, byte[] row) {
        BytePointer p = plane.ptr(y);
        p.put(row, 0, Math.min(row.length, plane.cols()));
    }

    /** A frame context for stage tests: stream "test", the system clock, 30 fps. */
    public static FrameContext context(long frameIndex) {
        return new FrameContext("test", Clock.systemUTC(), frameIndex, 30);
    }

    /** Sets a {@code size} x {@code size} square of a plane, top-left at (x, y), to {@code value}. */
    public static void mark(Mat plane, int x, int y, int size, int value) {
        try (Mat square = region(plane, x, y, size, size)) {
            fill(square, value);
        }
    }
}
