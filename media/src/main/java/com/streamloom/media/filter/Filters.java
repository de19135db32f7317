package com.streamloom.media.filter;

import com.streamloom.media.pipeline.FrameStage;
import com.streamloom.spec.StageCatalog;
import com.streamloom.spec.StageSpec;

import java.util.Set;

/**
 * Builds the filter stage a {@link StageSpec} names (the non-overlay types of {@link StageCatalog}). Overlays
 * ({@code text}, {@code image}, {@code subtitles}, {@code captions}) are built by {@code Overlays}.
 */
public final class Filters {
    /** Every stage type this factory builds. */
    public static final Set<String> TYPES = Set.of("grayscale", "gaussian-blur", "sharpen", "brightness-contrast",
            "scale", "crop", "flip", "rotate", "denoise", "face-blur", "ffmpeg");

    private Filters() {
    }

    /**
     * A new stage for {@code spec}; the caller owns it and closes it. The spec is validated again here (cheap), so
     * missing parameters take their catalog defaults and out-of-range values are refused with a
     * {@link com.streamloom.spec.SpecException} naming the field.
     *
     * @throws IllegalArgumentException for an unknown type, an overlay type, bad parameters, or an {@code ffmpeg}
     *                                  graph that does not parse
     */
    public static FrameStage create(StageSpec spec) {
        StageCatalog.StageType type = spec.definition();
        if (type == null) {
            throw new IllegalArgumentException("unknown stage type '" + spec.type() + "'; one of "
                    + StageCatalog.types().keySet());
        }
        if (type.overlay()) {
            throw new IllegalArgumentException("stage type '" + spec.type() + "' is an overlay; Overlays builds it");
        }
        StageSpec s = spec.validated(spec.path());
        return switch (s.type()) {
            case "grayscale" -> new Grayscale();
            case "gaussian-blur" -> new GaussianBlur(s.intParam("kernel"), s.doubleParam("sigma"));
            case "sharpen" -> new Sharpen(s.doubleParam("amount"));
            case "brightness-contrast" -> new BrightnessContrast(s.doubleParam("brightness"),
                    s.doubleParam("contrast"));
            case "scale" -> new Scale(s.intParam("width"), s.intParam("height"));
            case "crop" -> new Crop(s.intParam("x"), s.intParam("y"), s.intParam("width"), s.intParam("height"));
            case "flip" -> new Flip(Flip.Direction.of(s.stringParam("direction")));
            case "rotate" -> new Rotate(s.intParam("degrees"));
            case "denoise" -> new Denoise(s.doubleParam("strength"));
            case "face-blur" -> new FaceBlur(s.intParam("kernel"), s.intParam("detectEvery"), s.intParam("minSize"),
                    s.doubleParam("padding"));
            case "ffmpeg" -> new FfmpegGraphStage(s.stringParam("graph"));
            default -> throw new IllegalArgumentException("no filter implements stage type '" + s.type() + "'");
        };
    }
}
