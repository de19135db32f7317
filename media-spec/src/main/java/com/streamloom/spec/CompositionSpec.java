package com.streamloom.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Many live streams aggregated into one output. Inputs name streams; the layout places them on the canvas.
 *
 * <pre>{@code
 * {"name":"studio","canvas":{"width":1280,"height":720,"fps":30,"background":"#000000"},
 *  "inputs":[{"stream":"cam1","label":"Cam 1"},{"stream":"cam2","gain":0.5}],
 *  "layout":{"type":"pip","corner":"bottom-right","size":0.3},
 *  "audio":{"mode":"mix"}}
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompositionSpec(String name, Canvas canvas, List<Input> inputs, Layout layout, Audio audio,
                              OutputSpec output) {
    public static final int MAX_INPUTS = 16;

    /** Output picture: size, frame rate, background colour. */
    public record Canvas(Integer width, Integer height, Integer fps, String background) {
        /**
         * The output bitrate a validated canvas is encoded at: about 0.1 bit per pixel and frame, which keeps flat
         * regions clean and labels readable (720p30 ~2.8 Mbit/s, 360p30 ~0.7 Mbit/s; 300 kbit/s to 8 Mbit/s).
         */
        public int outputKbps() {
            long bps = (long) width * height * fps / 10;
            return (int) Math.max(300, Math.min(8000, bps / 1000));
        }

        Canvas validated(String path) {
            int w = width == null ? 1280 : width;
            int h = height == null ? 720 : height;
            int f = fps == null ? 30 : fps;
            if (w < 64 || w > 3840 || w % 2 != 0) throw new SpecException(path + ".width", "must be even, 64 to 3840");
            if (h < 64 || h > 2160 || h % 2 != 0) throw new SpecException(path + ".height", "must be even, 64 to 2160");
            if (f < 1 || f > 60) throw new SpecException(path + ".fps", "must be between 1 and 60");
            String bg = background == null ? "#000000" : background;
            if (!bg.matches("#[0-9A-Fa-f]{6}")) throw new SpecException(path + ".background", "must be #RRGGBB");
            return new Canvas(w, h, f, bg);
        }
    }

    /**
     * One input stream. {@code holdMs}: how long its last frame stays after it stops before the "no signal" slate;
     * {@code jitterMs}: its jitter buffer (at most 200 by default).
     */
    public record Input(String stream, String label, String borderColor, Integer borderWidth, Double gain,
                        Integer holdMs, Integer jitterMs) {
        Input validated(String path) {
            Names.check(path + ".stream", stream);
            if (label != null && label.length() > 200) throw new SpecException(path + ".label", "at most 200 characters");
            String bc = borderColor == null ? "#FFFFFF" : borderColor;
            if (!bc.matches("#[0-9A-Fa-f]{6}")) throw new SpecException(path + ".borderColor", "must be #RRGGBB");
            int bw = borderWidth == null ? 0 : borderWidth;
            if (bw < 0 || bw > 50) throw new SpecException(path + ".borderWidth", "must be between 0 and 50");
            double g = gain == null ? 1.0 : gain;
            if (!(g >= 0 && g <= 4)) throw new SpecException(path + ".gain", "must be between 0 and 4");
            int hold = holdMs == null ? 2000 : holdMs;
            if (hold < 0 || hold > 600_000) throw new SpecException(path + ".holdMs", "must be between 0 and 600000");
            int jit = jitterMs == null ? 200 : jitterMs;
            if (jit < 0 || jit > 2000) throw new SpecException(path + ".jitterMs", "must be between 0 and 2000");
            return new Input(stream, label, bc, bw, g, hold, jit);
        }
    }

    /** A rectangle of the free layout, in canvas pixels, for input {@code input} (index into inputs). */
    public record Rect(Integer input, Integer x, Integer y, Integer width, Integer height, Integer z) {
    }

    /**
     * type: grid (automatic for N inputs), pip (input 0 full, the others as insets in {@code corner} scaled by
     * {@code size}), side-by-side, free ({@code rects}).
     */
    public record Layout(String type, String corner, Double size, List<Rect> rects) {
        static final List<String> TYPES = List.of("grid", "pip", "side-by-side", "free");
        static final List<String> CORNERS = List.of("top-left", "top-right", "bottom-left", "bottom-right");

        Layout validated(String path, int inputs, Canvas canvas) {
            String t = type == null ? "grid" : type;
            if (!TYPES.contains(t)) throw new SpecException(path + ".type", "must be one of " + TYPES);
            String c = corner == null ? "bottom-right" : corner;
            if (!CORNERS.contains(c)) throw new SpecException(path + ".corner", "must be one of " + CORNERS);
            double s = size == null ? 0.3 : size;
            if (!(s >= 0.05 && s <= 0.9)) throw new SpecException(path + ".size", "must be between 0.05 and 0.9");
            List<Rect> rs = null;
            if (t.equals("free")) {
                if (rects == null || rects.isEmpty()) throw new SpecException(path + ".rects", "is required for free layout");
                rs = new ArrayList<>();
                for (int i = 0; i < rects.size(); i++) {
                    Rect r = rects.get(i);
                    String rp = path + ".rects[" + i + "]";
                    if (r == null || r.input() == null || r.input() < 0 || r.input() >= inputs) {
                        throw new SpecException(rp + ".input", "must be an input index from 0 to " + (inputs - 1));
                    }
                    int x = r.x() == null ? 0 : r.x(), y = r.y() == null ? 0 : r.y();
                    if (r.width() == null || r.width() < 2 || r.height() == null || r.height() < 2) {
                        throw new SpecException(rp + ".width", "width and height are required, at least 2");
                    }
                    if (x < 0 || y < 0 || x + r.width() > canvas.width() || y + r.height() > canvas.height()) {
                        throw new SpecException(rp, "must lie within the canvas");
                    }
                    rs.add(new Rect(r.input(), x & ~1, y & ~1, r.width() & ~1, r.height() & ~1, r.z() == null ? i : r.z()));
                }
            }
            return new Layout(t, c, s, rs == null ? null : List.copyOf(rs));
        }
    }

    /** mode: mix (every input with its gain) or follow (only the input named {@code follow}). */
    public record Audio(String mode, String follow) {
        Audio validated(String path, Set<String> streams) {
            String m = mode == null ? "mix" : mode;
            if (!m.equals("mix") && !m.equals("follow")) throw new SpecException(path + ".mode", "must be mix or follow");
            if (m.equals("follow") && (follow == null || !streams.contains(follow))) {
                throw new SpecException(path + ".follow", "must name one of the inputs");
            }
            return new Audio(m, m.equals("follow") ? follow : null);
        }
    }

    public CompositionSpec validated() {
        Names.check("name", name);
        Canvas c = (canvas == null ? new Canvas(null, null, null, null) : canvas).validated("canvas");
        if (inputs == null || inputs.isEmpty()) throw new SpecException("inputs", "at least one input is required");
        if (inputs.size() > MAX_INPUTS) throw new SpecException("inputs", "at most " + MAX_INPUTS + " inputs");
        List<Input> ins = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i) == null) throw new SpecException("inputs[" + i + "]", "must be an object");
            Input in = inputs.get(i).validated("inputs[" + i + "]");
            if (!seen.add(in.stream())) throw new SpecException("inputs[" + i + "].stream", "is listed twice");
            ins.add(in);
        }
        Layout l = (layout == null ? new Layout(null, null, null, null) : layout).validated("layout", ins.size(), c);
        Audio a = (audio == null ? new Audio(null, null) : audio).validated("audio", seen);
        OutputSpec o = (output == null ? OutputSpec.defaults() : output).validated("output");
        return new CompositionSpec(name, c, List.copyOf(ins), l, a, o);
    }
}
