package com.streamloom.media.codec;

/**
 * The size of a stream's pictures as its sequence parameter set declares it, before anything is decoded.
 *
 * @param width       displayed width (the coded width less the SPS's cropping / conformance window)
 * @param height      displayed height
 * @param codedWidth  width the decoder allocates: whole macroblocks (H.264) or luma samples (HEVC)
 * @param codedHeight height the decoder allocates
 */
public record PictureSize(int width, int height, int codedWidth, int codedHeight) {
    public PictureSize {
        if (width <= 0 || height <= 0 || codedWidth < width || codedHeight < height) {
            throw new IllegalArgumentException("picture size " + width + "x" + height + " (coded " + codedWidth
                    + "x" + codedHeight + ") is not possible");
        }
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
