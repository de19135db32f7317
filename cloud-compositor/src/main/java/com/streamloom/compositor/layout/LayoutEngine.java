package com.streamloom.compositor.layout;

import com.streamloom.spec.CompositionSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Computes where each input of a composition goes on the canvas: an automatic grid for N inputs,
 * picture-in-picture, side by side, or free rectangles with z-order. Pure geometry, no pixels: the renderer draws
 * the placements in the order returned (ascending z).
 *
 * <p>Every cell is even-aligned and inside the canvas; grid and side-by-side cells never overlap; picture-in-picture
 * insets never overlap each other.
 */
public final class LayoutEngine {
    /** Gap between a picture-in-picture inset and the canvas edge or the next inset, as a fraction of the shorter side. */
    static final double PIP_MARGIN = 0.03;

    private LayoutEngine() {
    }

    /** Placements for a validated spec ({@link CompositionSpec#validated()}), sorted by z, then input index. */
    public static List<Placement> place(CompositionSpec spec) {
        CompositionSpec.Canvas canvas = spec.canvas();
        CompositionSpec.Layout layout = spec.layout();
        int n = spec.inputs().size();
        int w = canvas.width(), h = canvas.height();
        List<Placement> out = switch (layout.type()) {
            case "grid" -> grid(n, w, h);
            case "pip" -> pictureInPicture(n, w, h, layout.corner(), layout.size());
            case "side-by-side" -> sideBySide(n, w, h);
            case "free" -> free(layout.rects());
            default -> throw new IllegalArgumentException("unknown layout type " + layout.type()
                    + " (the spec must be validated first)");
        };
        out.sort(Comparator.comparingInt(Placement::z).thenComparingInt(Placement::input));
        return out;
    }

    /**
     * The most square grid for n inputs: columns = ceil(sqrt(n)), rows = ceil(n / columns), so 2 → 2x1, 3..4 → 2x2,
     * 5..6 → 3x2, 7..9 → 3x3. The grid is centred; a last row with fewer inputs is centred too.
     */
    static List<Placement> grid(int n, int w, int h) {
        int cols = (int) Math.ceil(Math.sqrt(n));
        int rows = (n + cols - 1) / cols;
        int cellW = Box.evenFloor(w / cols), cellH = Box.evenFloor(h / rows);
        int top = Box.evenFloor((h - rows * cellH) / 2);
        List<Placement> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int row = i / cols, col = i % cols;
            int inRow = Math.min(cols, n - row * cols);
            int left = Box.evenFloor((w - inRow * cellW) / 2);
            out.add(new Placement(i, new Box(left + col * cellW, top + row * cellH, cellW, cellH), 0));
        }
        return out;
    }

    /** n cells in one row, each the full height (pictures are letterboxed inside). */
    static List<Placement> sideBySide(int n, int w, int h) {
        int cellW = Box.evenFloor(w / n);
        int left = Box.evenFloor((w - n * cellW) / 2);
        List<Placement> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Placement(i, new Box(left + i * cellW, 0, cellW, Box.evenFloor(h)), 0));
        }
        return out;
    }

    /**
     * Input 0 fills the canvas; inputs 1.. are insets of {@code size} times the canvas, stacked from the chosen
     * corner along the vertical edge, then in further columns towards the centre. If that many insets do not fit at
     * the requested size they are shrunk until they do, so no inset leaves the canvas or covers another.
     */
    static List<Placement> pictureInPicture(int n, int w, int h, String corner, double size) {
        List<Placement> out = new ArrayList<>(n);
        out.add(new Placement(0, new Box(0, 0, w, h), 0));
        int insets = n - 1;
        if (insets == 0) {
            return out;
        }
        int margin = Box.evenFloor((int) Math.round(Math.min(w, h) * PIP_MARGIN));
        double s = size;
        int insetW, insetH, perColumn, columns;
        while (true) {
            insetW = Math.max(2, Box.evenFloor((int) (w * s)));
            insetH = Math.max(2, Box.evenFloor((int) (h * s)));
            perColumn = (h - margin) / (insetH + margin);
            columns = (w - margin) / (insetW + margin);
            if ((long) perColumn * columns >= insets || (insetW == 2 && insetH == 2)) {
                break;
            }
            s *= 0.9;
        }
        perColumn = Math.max(1, perColumn);
        boolean right = corner.endsWith("right"), bottom = corner.startsWith("bottom");
        for (int k = 0; k < insets; k++) {
            int col = k / perColumn, row = k % perColumn;
            int x = margin + col * (insetW + margin);
            int y = margin + row * (insetH + margin);
            if (right) x = w - x - insetW;
            if (bottom) y = h - y - insetH;
            out.add(new Placement(k + 1, new Box(x, y, insetW, insetH), 1));
        }
        return out;
    }

    /** The spec's rectangles as they are (validation already made them even and inside the canvas). */
    static List<Placement> free(List<CompositionSpec.Rect> rects) {
        List<Placement> out = new ArrayList<>(rects.size());
        for (CompositionSpec.Rect r : rects) {
            out.add(new Placement(r.input(), new Box(r.x(), r.y(), r.width(), r.height()), r.z()));
        }
        return out;
    }
}
