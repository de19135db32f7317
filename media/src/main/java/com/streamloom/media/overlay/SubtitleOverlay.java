package com.streamloom.media.overlay;

import com.streamloom.spec.subtitle.SubtitleParser;
import com.streamloom.spec.subtitle.SubtitleCue;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;

import java.util.List;

/**
 * Timed subtitles by stream timestamp: a cue is drawn on exactly the frames whose
 * {@link VideoFrame#ptsMicros()} lies in [start + offset, end + offset). Overlapping cues are shown together, the
 * earlier one on top. Centred at the bottom or top on a translucent box.
 */
public final class SubtitleOverlay extends TextStage {
    /** FFmpeg's AV_NOPTS_VALUE, for frames whose timestamp is unknown. */
    private static final long NO_PTS = Long.MIN_VALUE;

    private final List<SubtitleCue> cues;
    private final long[] starts;
    private final long longestCue;
    private final long offsetMicros;

    /**
     * @param cues     sorted by start, as {@link SubtitleParser} returns them
     * @param offsetMs added to every cue time (positive delays the subtitles)
     */
    public SubtitleOverlay(List<SubtitleCue> cues, long offsetMs, int fontSize, Anchor.Band band) {
        super("subtitles", TextStyle.caption(fontSize), Anchor.band(band));
        this.cues = List.copyOf(cues);
        this.starts = new long[this.cues.size()];
        long longest = 0;
        for (int i = 0; i < starts.length; i++) {
            SubtitleCue c = this.cues.get(i);
            if (i > 0 && c.startMicros() < starts[i - 1]) {
                throw new IllegalArgumentException("cues must be sorted by start time");
            }
            starts[i] = c.startMicros();
            long length = c.endMicros() - c.startMicros();
            longest = Math.max(longest, length < 0 ? Long.MAX_VALUE : length); // < 0: overflowed, huge
        }
        this.longestCue = longest;
        this.offsetMicros = offsetMs * 1000;
    }

    @Override
    protected String textFor(VideoFrame frame, FrameContext context) {
        if (frame.ptsMicros() == NO_PTS) {
            return null; // a frame without a timestamp gets no subtitle rather than a wrong one
        }
        return textAt(frame.ptsMicros() - offsetMicros);
    }

    /** The text of every cue showing at cue time {@code t}, joined by line breaks; null when none is. */
    String textAt(long t) {
        // The last cue starting at or before t, found by binary search; only cues that started less than the
        // longest cue's duration before t can still be showing, so the backward scan is short.
        int last = upperBound(t) - 1;
        long earliestStart = longestCue == Long.MAX_VALUE || t < Long.MIN_VALUE + longestCue
                ? Long.MIN_VALUE : t - longestCue;
        StringBuilder text = null;
        for (int i = last; i >= 0 && starts[i] >= earliestStart; i--) {
            SubtitleCue c = cues.get(i);
            if (c.showsAt(t) && !c.text().isEmpty()) {
                text = text == null ? new StringBuilder(c.text()) : text.insert(0, c.text() + "\n");
            }
        }
        return text == null ? null : text.toString();
    }

    /** Index of the first cue starting after {@code t}. */
    private int upperBound(long t) {
        int lo = 0;
        int hi = starts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
