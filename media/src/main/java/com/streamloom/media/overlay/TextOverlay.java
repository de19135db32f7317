package com.streamloom.media.overlay;

import com.streamloom.spec.subtitle.CueText;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Text at a fixed position with placeholders, filled in per frame:
 * <ul>
 *   <li>{@code {time}} wall-clock time HH:mm:ss from the context's injected clock, in the clock's zone</li>
 *   <li>{@code {date}} the same clock's date, yyyy-MM-dd</li>
 *   <li>{@code {fps}} the measured input frame rate, one decimal</li>
 *   <li>{@code {stream}} the stream's name</li>
 *   <li>{@code {pts}} the frame's stream timestamp, H:mm:ss.SSS (hours grow past 24)</li>
 * </ul>
 * Other text in braces is shown as written. The text is rendered only when the filled-in string changes.
 */
public final class TextOverlay extends TextStage {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT);

    private final String template;
    private final boolean hasPlaceholder;

    public TextOverlay(String template, TextStyle style, Anchor anchor) {
        super("text", style, anchor);
        this.template = CueText.keepLines(template);
        this.hasPlaceholder = this.template.indexOf('{') >= 0;
    }

    @Override
    protected String textFor(VideoFrame frame, FrameContext context) {
        return hasPlaceholder ? expand(template, frame.ptsMicros(), context) : template;
    }

    /** Fills in the placeholders of {@code template} for a frame with the given timestamp. */
    static String expand(String template, long ptsMicros, FrameContext context) {
        String out = template;
        if (out.contains("{time}") || out.contains("{date}")) {
            ZonedDateTime now = ZonedDateTime.now(context.clock());
            out = out.replace("{time}", TIME.format(now)).replace("{date}", DATE.format(now));
        }
        if (out.contains("{fps}")) {
            out = out.replace("{fps}", String.format(Locale.ROOT, "%.1f", context.fps()));
        }
        if (out.contains("{pts}")) {
            out = out.replace("{pts}", formatPts(ptsMicros));
        }
        if (out.contains("{stream}")) {
            // Last, so a stream name that itself contains "{time}" is shown as written, not expanded.
            out = out.replace("{stream}", context.streamName() == null ? "" : context.streamName());
        }
        return out;
    }

    /** H:mm:ss.SSS of a stream timestamp; negative timestamps (before the first frame) get a minus sign. */
    static String formatPts(long ptsMicros) {
        long abs = Math.abs(ptsMicros / 1000);
        return String.format(Locale.ROOT, "%s%02d:%02d:%02d.%03d", ptsMicros < 0 ? "-" : "",
                abs / 3_600_000, abs / 60_000 % 60, abs / 1000 % 60, abs % 1000);
    }
}
