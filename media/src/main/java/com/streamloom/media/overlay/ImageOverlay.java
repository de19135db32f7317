package com.streamloom.media.overlay;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import com.streamloom.media.pipeline.FrameStage;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

/**
 * An image or logo with alpha (PNG, or any format ImageIO reads) blended at a fixed position.
 * The image is decoded, scaled and converted to YUVA once, at creation; per frame only the covered rectangle is
 * blended. Every decoding problem is an {@link IllegalArgumentException} at creation, so a bad spec is refused
 * before it reaches a live stream.
 */
public final class ImageOverlay extends FrameStage {
    /** Decompression-bomb guard: the size is read from the header before any pixels are decoded. */
    static final int MAX_SIDE = 7680;

    static {
        Headless.ensure();
    }

    private final YuvaBitmap bitmap;
    private final Anchor anchor;

    /**
     * @param image   the picture, with or without alpha
     * @param width   scaled width keeping the aspect ratio; 0 keeps the image's own
     * @param opacity 0..1, multiplied with the image's alpha
     */
    public ImageOverlay(BufferedImage image, int width, double opacity, Anchor anchor) {
        super("image");
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("opacity must be between 0 and 1, got " + opacity);
        }
        if (width < 0 || width > MAX_SIDE) {
            throw new IllegalArgumentException("width must be 0.." + MAX_SIDE + ", got " + width);
        }
        this.bitmap = YuvaBitmap.fromImage(prepare(image, width, opacity));
        this.anchor = anchor;
    }

    /**
     * Decodes {@code source}, a {@code data:image/...;base64,...} URI or the path of a file among {@code assets},
     * then as the constructor.
     */
    public static ImageOverlay fromSource(ImageAssets assets, String source, int width, double opacity,
                                          Anchor anchor) {
        return new ImageOverlay(decode(assets, source), width, opacity, anchor);
    }

    @Override
    protected VideoFrame process(VideoFrame frame, FrameContext context) {
        bitmap.blendOnto(frame, anchor.left(frame.width(), bitmap.width()), anchor.top(frame.height(), bitmap.height()));
        return frame;
    }

    /** Reads the picture named by a spec's {@code source} from the allowed {@code assets}. */
    static BufferedImage decode(ImageAssets assets, String source) {
        byte[] bytes = assets.read(source);
        String what = source.regionMatches(true, 0, "data:", 0, 5) ? "data: URI" : "image file " + source;
        return decodeImage(bytes, what);
    }

    private static BufferedImage decodeImage(byte[] bytes, String what) {
        // In memory: ImageIO.createImageInputStream would spool the bytes to a temporary file by default.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException(what + " is not an image in a known format (PNG expected)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE) {
                    throw new IllegalArgumentException(what + " is " + w + "x" + h + "; each side must be 1.."
                            + MAX_SIDE);
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null
                    && iae.getMessage().startsWith(what)) {
                throw iae;
            }
            throw new IllegalArgumentException(what + " cannot be decoded: " + e.getMessage(), e);
        }
    }

    /** Scales (if asked) and applies the opacity, into a fresh ARGB picture. */
    private static BufferedImage prepare(BufferedImage image, int width, double opacity) {
        int w = width == 0 ? image.getWidth() : width;
        int h = width == 0 ? image.getHeight()
                : Math.max(1, (int) Math.round((double) image.getHeight() * width / image.getWidth()));
        if (h > MAX_SIDE) {
            throw new IllegalArgumentException("scaled image would be " + w + "x" + h + "; each side must be 1.."
                    + MAX_SIDE);
        }
        BufferedImage source = image;
        // Bicubic from far away skips source pixels; halving step by step until within 2x keeps a logo crisp.
        while (source.getWidth() / 2 >= w && source.getHeight() / 2 >= h) {
            source = draw(source, source.getWidth() / 2, source.getHeight() / 2, 1f);
        }
        return draw(source, w, h, (float) opacity);
    }

    private static BufferedImage draw(BufferedImage source, int w, int h, float opacity) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, opacity));
            g.drawImage(source, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
