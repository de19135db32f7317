package com.streamloom.media.thumbnail;

import com.streamloom.media.frame.VideoFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YUV2BGR_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * One I420 picture as a JPEG of a given width, its height following the picture's aspect ratio: each plane is
 * scaled straight into one contiguous I420 buffer of the target size (area averaging when shrinking, bilinear when
 * enlarging, as the {@code scale} stage), converted to BGR once at that small size and encoded with OpenCV's
 * {@code imencode}. Stateless: every native buffer it makes is freed before it returns.
 */
final class JpegPicture {
    /** libjpeg quality: small thumbnails stay sharp, a 320-wide one is a few kilobytes. */
    static final int QUALITY = 80;

    private JpegPicture() {
    }

    /** The height that keeps {@code picture}'s aspect at {@code width}: even (4:2:0 chroma), at least 2. */
    static int heightFor(VideoFrame picture, int width) {
        long scaled = Math.round((double) width * picture.height() / picture.width() / 2.0) * 2;
        return (int) Math.max(2, scaled);
    }

    /** {@code picture} at {@code width} pixels wide (at least 2) as JPEG bytes. */
    static byte[] encode(VideoFrame picture, int width) {
        if (width < 2) {
            throw new IllegalArgumentException("a thumbnail is at least 2 pixels wide, got " + width);
        }
        int height = heightFor(picture, width);
        // I420 needs an even width; an odd one is encoded one column wider and cropped after the conversion.
        int evenWidth = width + (width & 1);
        int interpolation = evenWidth <= picture.width() && height <= picture.height() ? INTER_AREA : INTER_LINEAR;
        int lumaBytes = evenWidth * height;
        int chromaBytes = lumaBytes / 4;
        try (Mat i420 = new Mat(height * 3 / 2, evenWidth, CV_8UC1);
             BytePointer base = i420.data();
             Mat y = new Mat(height, evenWidth, CV_8UC1, base, evenWidth);
             BytePointer uStart = new BytePointer(base).position(lumaBytes);
             BytePointer vStart = new BytePointer(base).position(lumaBytes + chromaBytes);
             Mat u = new Mat(height / 2, evenWidth / 2, CV_8UC1, uStart, evenWidth / 2);
             Mat v = new Mat(height / 2, evenWidth / 2, CV_8UC1, vStart, evenWidth / 2);
             Size lumaSize = new Size(evenWidth, height);
             Size chromaSize = new Size(evenWidth / 2, height / 2);
             Mat bgr = new Mat();
             BytePointer jpeg = new BytePointer();
             IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, QUALITY)) {
            // The views have the target size and type, so resize writes into the I420 buffer, allocating nothing.
            resize(picture.y(), y, lumaSize, 0, 0, interpolation);
            resize(picture.u(), u, chromaSize, 0, 0, interpolation);
            resize(picture.v(), v, chromaSize, 0, 0, interpolation);
            cvtColor(i420, bgr, COLOR_YUV2BGR_I420);
            try (Mat shown = evenWidth == width ? new Mat(bgr) : bgr.colRange(0, width)) {
                if (!imencode(".jpg", shown, jpeg, params)) {
                    throw new IllegalStateException("imencode refused a " + width + "x" + height + " picture");
                }
            }
            byte[] bytes = new byte[(int) jpeg.limit()];
            jpeg.get(bytes);
            return bytes;
        }
    }
}
