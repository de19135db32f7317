package com.streamloom.media.overlay;

/**
 * Overlays draw with Java2D on servers without a display. AWT must know that before it starts, or the first font
 * lookup tries to open an X11 connection and fails.
 */
final class Headless {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Headless() {
    }

    /** Referencing this class runs the static initialiser above, once. */
    static void ensure() {
    }
}
