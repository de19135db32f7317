package com.streamloom.compositor.layout;

/**
 * An axis-aligned rectangle in canvas pixels. Every box the layout produces has even x, y, width and height, so
 * that it maps exactly onto the half-resolution chroma planes of I420 (x/2, y/2, width/2, height/2).
 */
public record Box(int x, int y, int width, int height) {
    public Box {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("box needs a positive size, got " + width + "x" + height);
        }
    }

    public int right() {
        return x + width;
    }

    public int bottom() {
        return y + height;
    }

    public boolean isEven() {
        return ((x | y | width | height) & 1) == 0;
    }

    public boolean intersects(Box o) {
        return x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom();
    }

    public boolean within(int canvasWidth, int canvasHeight) {
        return x >= 0 && y >= 0 && right() <= canvasWidth && bottom() <= canvasHeight;
    }

    /**
     * The largest box of the source's aspect ratio that fits inside this one, centred (letterbox / pillarbox), with
     * even coordinates. A source of unknown size fills the box.
     */
    public Box fit(int sourceWidth, int sourceHeight) {
        if (sourceWidth <= 0 || sourceHeight <= 0) {
            return this;
        }
        double scale = Math.min((double) width / sourceWidth, (double) height / sourceHeight);
        int w = Math.min(width, Math.max(2, evenFloor((int) Math.round(sourceWidth * scale))));
        int h = Math.min(height, Math.max(2, evenFloor((int) Math.round(sourceHeight * scale))));
        return new Box(x + evenFloor((width - w) / 2), y + evenFloor((height - h) / 2), w, h);
    }

    static int evenFloor(int v) {
        return v & ~1;
    }
}
