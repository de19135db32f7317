package com.streamloom.media.codec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The largest picture a node decodes ({@code media.maxPicture}, default 3840x2160): a publisher must not choose how
 * much memory a node gives each of its frames.
 *
 * <p>A picture fits when it fits the limit in either orientation: with 3840x2160, a 2160x3840 portrait stream is
 * fine, 7680x4320 is not, and neither is 8192x64 (few pixels, but a side longer than the limit's longest: decoders,
 * stages and the encoder all size line buffers by the width). The coded size (what the decoder allocates) may exceed
 * the displayed size only by the codec's block size ({@link #CODED_SLACK}), so a huge coded picture cannot hide
 * behind a small cropping window.
 */
public record PictureLimit(int width, int height) {
    public static final PictureLimit DEFAULT = new PictureLimit(3840, 2160);
    /** HEVC's largest coding tree block; H.264's macroblock (16) is smaller. */
    static final int CODED_SLACK = 64;
    /** What libavcodec itself accepts at most per side (av_image_check_size2: 16384 is far inside it). */
    private static final int MAX_SIDE = 16384;
    private static final Pattern FORM = Pattern.compile("(\\d{1,5})x(\\d{1,5})");

    public PictureLimit {
        if (width < 16 || height < 16 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("each side must be 16…" + MAX_SIDE + ", got " + width + "x" + height);
        }
    }

    /** Reads {@code WIDTHxHEIGHT}, e.g. {@code 1920x1080}. */
    public static PictureLimit parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("must be WIDTHxHEIGHT, e.g. 3840x2160, got \"" + text + "\"");
        }
        return new PictureLimit(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** Whether a picture of {@code w}x{@code h} fits, in either orientation. */
    public boolean admits(int w, int h) {
        return (w <= width && h <= height) || (w <= height && h <= width);
    }

    /** Whether the SPS's picture fits, displayed and coded. */
    public boolean admits(PictureSize size) {
        return admits(size.width(), size.height())
                && admitsCoded(size.codedWidth(), size.codedHeight());
    }

    private boolean admitsCoded(int w, int h) {
        return (w <= width + CODED_SLACK && h <= height + CODED_SLACK)
                || (w <= height + CODED_SLACK && h <= width + CODED_SLACK);
    }

    /** The most pixels a picture may have, for libavcodec's own check ({@code AVCodecContext.max_pixels}). */
    public long maxPixels() {
        return (long) (width + CODED_SLACK) * (height + CODED_SLACK);
    }

    /** Why a picture of {@code size} is refused, in words for the stream's status. */
    public String refusal(String size) {
        return "picture " + size + " is larger than the node's limit " + this + " (media.maxPicture)";
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
