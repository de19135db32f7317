package com.streamloom.control.placement;

import com.streamloom.control.ControlConfig;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.StreamSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Estimated load of a stream or composition in the unit of a node's capacity: pixels per second times the relative
 * cost of the work done per pixel. A stream's picture is unknown until it runs, so the configured
 * assumption (1280x720 at 30 fps) stands in; {@code encoding.maxFps} lowers the rate it pays for.
 */
@ApplicationScoped
public class CostModel {
    /** Per input a compositor decodes and scales the picture: about half the work of a full transcode. */
    static final double COMPOSITION_INPUT_COST = 0.5;

    private final double assumedPixels;
    private final int assumedFps;

    @Inject
    public CostModel(ControlConfig config) {
        this(config.placement().assumedWidth(), config.placement().assumedHeight(), config.placement().assumedFps());
    }

    public CostModel(int width, int height, int fps) {
        this.assumedPixels = (double) width * height;
        this.assumedFps = fps;
    }

    public double streamCost(StreamSpec spec) {
        Integer maxFps = spec.encoding() == null ? null : spec.encoding().maxFps();
        int fps = maxFps == null || maxFps == 0 ? assumedFps : Math.min(maxFps, assumedFps);
        return assumedPixels * fps * spec.costFactor();
    }

    public double compositionCost(CompositionSpec spec) {
        CompositionSpec.Canvas c = spec.canvas();
        double canvasPixelsPerSecond = (double) c.width() * c.height() * c.fps();
        return canvasPixelsPerSecond * (1 + COMPOSITION_INPUT_COST * spec.inputs().size());
    }
}
