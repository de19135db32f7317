package com.streamloom.media.overlay;

/**
 * Where an overlay sits in the frame and how wide its text may grow. One rule for every overlay type, so text,
 * images, subtitles and captions place themselves alike.
 */
public sealed interface Anchor {

    /** Left edge of an overlay {@code w} pixels wide in a frame {@code frameW} wide. */
    int left(int frameW, int w);

    /** Top edge of an overlay {@code h} pixels high in a frame {@code frameH} high. */
    int top(int frameH, int h);

    /** The widest a text overlay may render before it wraps. */
    int maxTextWidth(int frameW);

    /**
     * A corner position as in the stage catalog: a non-negative x (y) is the left (top) edge, a negative one counts
     * from the right (bottom): x = -16 puts the overlay's right edge 16 pixels from the frame's right edge.
     */
    static Anchor at(int x, int y) {
        return new Corner(x, y);
    }

    /** A horizontally centred band at the bottom or top, as subtitles and captions are shown. */
    static Anchor band(Band band) {
        return new Centered(band);
    }

    enum Band {
        BOTTOM, TOP;

        /** Parses the catalog's {@code position} values "bottom" and "top". */
        public static Band parse(String value) {
            return switch (value) {
                case "bottom" -> BOTTOM;
                case "top" -> TOP;
                default -> throw new IllegalArgumentException("position must be bottom or top, got " + value);
            };
        }
    }

    record Corner(int x, int y) implements Anchor {
        @Override
        public int left(int frameW, int w) {
            return x >= 0 ? x : frameW + x - w;
        }

        @Override
        public int top(int frameH, int h) {
            return y >= 0 ? y : frameH + y - h;
        }

        @Override
        public int maxTextWidth(int frameW) {
            return Math.max(1, frameW - Math.abs(x));
        }
    }

    record Centered(Band band) implements Anchor {
        @Override
        public int left(int frameW, int w) {
            return (frameW - w) / 2;
        }

        @Override
        public int top(int frameH, int h) {
            // A margin of about 5% of the height keeps text inside the title-safe area of most players.
            int margin = Math.max(4, frameH / 20);
            return band == Band.TOP ? margin : frameH - margin - h;
        }

        @Override
        public int maxTextWidth(int frameW) {
            return Math.max(1, frameW * 9 / 10);
        }
    }
}
