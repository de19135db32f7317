package com.streamloom.media.overlay;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;

import java.time.Duration;
import java.util.List;

/**
 * Draws the recent lines of a {@link CaptionFeed}, centred at the bottom or top, each line wrapped to the frame.
 * A line appears on the first frame processed after it was posted and disappears once it is {@code duration} old
 * by the context's clock; beyond {@code maxLines} the oldest scroll away.
 */
public final class CaptionOverlay extends TextStage {
    private final CaptionFeed feed;
    private final Duration duration;
    private final int maxLines;

    public CaptionOverlay(CaptionFeed feed, int fontSize, Anchor.Band band, Duration duration, int maxLines) {
        super("captions", TextStyle.caption(fontSize), Anchor.band(band));
        if (feed == null) {
            throw new IllegalArgumentException("captions need the stream's CaptionFeed");
        }
        if (maxLines < 1 || maxLines > CaptionFeed.MAX_KEPT) {
            throw new IllegalArgumentException("maxLines must be 1.." + CaptionFeed.MAX_KEPT + ", got " + maxLines);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("caption duration must be positive, got " + duration);
        }
        this.feed = feed;
        this.duration = duration;
        this.maxLines = maxLines;
    }

    @Override
    protected String textFor(VideoFrame frame, FrameContext context) {
        List<CaptionFeed.Caption> lines = feed.recent(context.clock().instant(), duration, maxLines);
        if (lines.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (CaptionFeed.Caption c : lines) {
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(c.text());
        }
        return text.toString();
    }
}
