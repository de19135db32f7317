package com.streamloom.media.overlay;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import com.streamloom.media.pipeline.FrameStage;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The part every text overlay shares: ask the subclass for this frame's text, render it only if it is new, blend
 * the cached bitmap.
 *
 * <p>Why a cache of a few bitmaps: rendering a line of text with Java2D and converting it to YUVA costs one to two
 * milliseconds of CPU, blending the cached bitmap a small fraction of that. A clock changes its text once a second,
 * subtitles a few times a minute, so nearly every frame reuses a bitmap. Keeping more than the last one lets text that alternates (two overlapping cues, a caption that
 * expires and is posted again) stay cheap too.
 */
abstract class TextStage extends FrameStage {
    private static final int CACHED_TEXTS = 8;
    /** A cap on cached pixels (about 4 bytes each), so eight full-frame 4K texts cannot pin a gigabyte. */
    private static final long CACHED_PIXELS = 4L * 1920 * 1080;

    private final TextStyle style;
    private final Anchor anchor;
    private final Map<Key, YuvaBitmap> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, YuvaBitmap> eldest) {
            if (size() > CACHED_TEXTS || (size() > 1 && cachedPixels > CACHED_PIXELS)) {
                cachedPixels -= eldest.getValue().pixels();
                return true;
            }
            return false;
        }
    };
    private long cachedPixels;
    private long renders;

    private record Key(String text, int maxWidth, int maxHeight) {
    }

    /** A bitmap for text that has nothing visible: a cache entry meaning "draw nothing". */
    private static final YuvaBitmap NOTHING = YuvaBitmap.fromImage(new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB));

    protected TextStage(String name, TextStyle style, Anchor anchor) {
        super(name);
        this.style = style;
        this.anchor = anchor;
    }

    /** The text to show on this frame, lines separated by {@code \n}; null or blank shows nothing. */
    protected abstract String textFor(VideoFrame frame, FrameContext context);

    @Override
    protected final VideoFrame process(VideoFrame frame, FrameContext context) {
        String text = textFor(frame, context);
        if (text == null || text.isBlank()) {
            return frame;
        }
        YuvaBitmap bitmap = bitmapFor(text, frame.width(), frame.height());
        if (bitmap != NOTHING) {
            bitmap.blendOnto(frame, anchor.left(frame.width(), bitmap.width()),
                    anchor.top(frame.height(), bitmap.height()));
        }
        return frame;
    }

    private YuvaBitmap bitmapFor(String text, int frameW, int frameH) {
        Key key = new Key(text, anchor.maxTextWidth(frameW), frameH);
        YuvaBitmap bitmap = cache.get(key);
        if (bitmap == null) {
            renders++;
            BufferedImage image = TextRenderer.render(text, style, key.maxWidth(), key.maxHeight());
            bitmap = image == null ? NOTHING : YuvaBitmap.fromImage(image);
            cachedPixels += bitmap.pixels();
            cache.put(key, bitmap);
        }
        return bitmap;
    }

    /** How many times text was rendered (not taken from the cache); lets tests prove the caching. */
    final long renderCount() {
        return renders;
    }
}
