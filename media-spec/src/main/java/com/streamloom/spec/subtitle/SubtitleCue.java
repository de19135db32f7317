package com.streamloom.spec.subtitle;

/**
 * One timed subtitle: shown on frames with {@code startMicros <= pts < endMicros}. Text lines are separated by
 * {@code \n}, already stripped of markup.
 */
public record SubtitleCue(long startMicros, long endMicros, String text) {
    public SubtitleCue {
        if (endMicros < startMicros) {
            throw new IllegalArgumentException("cue ends (" + endMicros + " us) before it starts (" + startMicros
                    + " us)");
        }
        if (text == null) {
            throw new IllegalArgumentException("cue text is null");
        }
    }

    /** Whether the cue is on screen at stream time {@code ptsMicros}: start inclusive, end exclusive. */
    public boolean showsAt(long ptsMicros) {
        return startMicros <= ptsMicros && ptsMicros < endMicros;
    }
}
