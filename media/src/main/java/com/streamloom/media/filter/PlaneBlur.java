package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;

/**
 * A Gaussian blur of an I420 picture, plane by plane: luma with the configured kernel, both chroma planes with a
 * kernel of half the size (they have half the resolution in 4:2:0), so the blur looks the same on colour edges as on
 * brightness edges. Shared by {@link GaussianBlur} (whole picture) and {@link FaceBlur} (boxes).
 */
final class PlaneBlur implements AutoCloseable {
    private final Size lumaKernel;
    private final double lumaSigma;
    private final Size chromaKernel;
    private final double chromaSigma;

    /** @param kernel odd luma kernel size; @param sigma luma standard deviation, 0 to derive it from the kernel */
    PlaneBlur(int kernel, double sigma) {
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("blur kernel must be odd and positive, got " + kernel);
        }
        int chroma = (kernel / 2) | 1;
        this.lumaKernel = new Size(kernel, kernel);
        this.lumaSigma = sigma;
        // A 1x1 chroma kernel is the identity: skip the two chroma passes then.
        this.chromaKernel = chroma > 1 ? new Size(chroma, chroma) : null;
        this.chromaSigma = sigma / 2;
    }

    /** Blurs the whole picture in place; the caller has made the frame writable. */
    void blur(VideoFrame frame) {
        blur(frame, frame);
    }

    /** Blurs the whole of {@code from} into {@code to}, a writable frame of the same size (or {@code from} itself). */
    void blur(VideoFrame from, VideoFrame to) {
        GaussianBlur(from.y(), to.y(), lumaKernel, lumaSigma);
        if (chromaKernel != null) {
            GaussianBlur(from.u(), to.u(), chromaKernel, chromaSigma);
            GaussianBlur(from.v(), to.v(), chromaKernel, chromaSigma);
        } else if (to != from) {
            from.u().copyTo(to.u());
            from.v().copyTo(to.v());
        }
    }

    /**
     * Blurs one rectangle of the picture in place. {@code area} is in luma pixels, already clipped to the frame and
     * even-aligned so that it maps exactly onto the half-resolution chroma planes. The sub-Mats are not isolated:
     * the kernel reads pixels just outside the box, so its edge blends into the surroundings instead of showing a
     * hard seam.
     */
    void blur(VideoFrame frame, Rect area, Rect chromaArea) {
        try (Mat y = new Mat(frame.y(), area)) {
            GaussianBlur(y, y, lumaKernel, lumaSigma);
        }
        if (chromaKernel != null) {
            try (Mat u = new Mat(frame.u(), chromaArea); Mat v = new Mat(frame.v(), chromaArea)) {
                GaussianBlur(u, u, chromaKernel, chromaSigma);
                GaussianBlur(v, v, chromaKernel, chromaSigma);
            }
        }
    }

    @Override
    public void close() {
        lumaKernel.close();
        if (chromaKernel != null) {
            chromaKernel.close();
        }
    }
}
