package com.streamloom.spec;

import com.streamloom.spec.subtitle.SubtitleFormatException;
import com.streamloom.spec.subtitle.SubtitleParser;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static com.streamloom.spec.ParamDef.bool;
import static com.streamloom.spec.ParamDef.decimal;
import static com.streamloom.spec.ParamDef.integer;
import static com.streamloom.spec.ParamDef.integerOf;
import static com.streamloom.spec.ParamDef.oneOf;
import static com.streamloom.spec.ParamDef.string;

/**
 * Every stage type a pipeline spec may name, with its parameters. One table serves validation (control API and
 * nodes), the dashboard's pipeline editor ({@code GET /api/v1/stage-types}) and the README's settings list, so the
 * three cannot drift apart.
 */
public final class StageCatalog {

    /** A stage type: its name, what it does, whether it is an overlay, its parameters, and any cross-field rule. */
    public record StageType(String type, String description, boolean overlay, double relativeCost, List<ParamDef> params,
                            Consumer<StageSpec> rule) {
        public ParamDef param(String name) {
            return params.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
        }
    }

    private static final Map<String, StageType> TYPES = new LinkedHashMap<>();

    private static void add(String type, String description, boolean overlay, double cost, List<ParamDef> params) {
        add(type, description, overlay, cost, params, s -> { });
    }

    private static void add(String type, String description, boolean overlay, double cost, List<ParamDef> params,
                            Consumer<StageSpec> rule) {
        TYPES.put(type, new StageType(type, description, overlay, cost, List.copyOf(params), rule));
    }

    static {
        add("grayscale", "Removes colour (chroma set to neutral 128).", false, 0.05, List.of());
        add("gaussian-blur", "Gaussian blur of the whole picture.", false, 0.6, List.of(
                integer("kernel", 9, 3, 99, "kernel size in pixels (odd)"),
                decimal("sigma", 0, 0, 50, "standard deviation; 0 derives it from the kernel")),
                s -> requireOdd(s, "kernel"));
        add("sharpen", "Unsharp mask on luma.", false, 0.6, List.of(
                decimal("amount", 1.0, 0, 5, "strength of the sharpening")));
        add("brightness-contrast", "out = contrast * (in - 128) + 128 + brightness, on luma.", false, 0.1, List.of(
                decimal("brightness", 0, -255, 255, "added to luma"),
                decimal("contrast", 1, 0, 4, "gain around mid-grey")));
        add("scale", "Resizes the picture.", false, 0.4, List.of(
                integer("width", 1280, 16, 7680, "output width (even)"),
                integer("height", 720, 16, 4320, "output height (even)")),
                s -> { requireEven(s, "width"); requireEven(s, "height"); });
        add("crop", "Keeps a rectangle of the picture (clipped to the frame).", false, 0.1, List.of(
                integer("x", 0, 0, 7680, "left edge"),
                integer("y", 0, 0, 4320, "top edge"),
                integer("width", 640, 16, 7680, "width (even)"),
                integer("height", 360, 16, 4320, "height (even)")),
                s -> { requireEven(s, "x"); requireEven(s, "y"); requireEven(s, "width"); requireEven(s, "height"); });
        add("flip", "Mirrors the picture.", false, 0.1, List.of(
                oneOf("direction", "horizontal", List.of("horizontal", "vertical", "both"), "axis to mirror")));
        add("rotate", "Rotates the picture by a multiple of 90 degrees.", false, 0.15, List.of(
                integerOf("degrees", 90, List.of(90, 180, 270), "90, 180 or 270 clockwise")));
        add("denoise", "Temporal and spatial denoise (FFmpeg hqdn3d).", false, 0.8, List.of(
                decimal("strength", 4, 0, 20, "luma spatial strength")));
        add("face-blur", "Finds faces (OpenCV Haar cascade) and blurs them, for privacy.", false, 1.5, List.of(
                integer("kernel", 51, 3, 151, "blur kernel (odd)"),
                integer("detectEvery", 3, 1, 30, "run detection every N frames, reuse boxes between"),
                integer("minSize", 40, 16, 2000, "smallest face in pixels"),
                decimal("padding", 0.25, 0, 1, "box grows by this fraction on each side")),
                s -> requireOdd(s, "kernel"));
        add("ffmpeg", "Any libavfilter video graph, e.g. hqdn3d=4 or eq=gamma=1.2.", false, 1.0, List.of(
                string("graph", "null", 2000, "libavfilter graph description (one video in, one out)")),
                s -> FfmpegGraph.check(s.path() + ".graph", s.stringParam("graph")));
        add("text", "Text overlay; placeholders {time} {date} {fps} {stream} {pts}.", true, 0.1, List.of(
                string("text", "{stream} {time}", 1000, "the text; any script"),
                integer("x", 16, -7680, 7680, "left edge; negative counts from the right"),
                integer("y", 16, -4320, 4320, "top edge; negative counts from the bottom"),
                integer("fontSize", 32, 6, 400, "pixel size"),
                string("color", "#FFFFFF", 9, "#RRGGBB or #RRGGBBAA"),
                bool("box", true, "draw a translucent box behind the text"),
                string("boxColor", "#00000099", 9, "#RRGGBB or #RRGGBBAA"),
                integer("outline", 2, 0, 20, "outline width in pixels"),
                string("font", "", 200, "font family; empty picks one that has the text's glyphs")),
                s -> { requireColor(s, "color"); requireColor(s, "boxColor"); });
        add("image", "Image or logo overlay with alpha (data: URI, or a file of the node's assets).", true, 0.1,
                List.of(string("source", "", 4_000_000,
                                "data:image/png;base64,..., or a path under the node's assetsDir"),
                integer("x", -16, -7680, 7680, "left edge; negative counts from the right"),
                integer("y", 16, -4320, 4320, "top edge; negative counts from the bottom"),
                integer("width", 0, 0, 7680, "scaled width; 0 keeps the image's own"),
                decimal("opacity", 1, 0, 1, "multiplied with the image's alpha")),
                s -> ImageSource.check(s.path() + ".source", s.stringParam("source")));
        add("subtitles", "Timed subtitles from an SRT or WebVTT document, by stream timestamp.", true, 0.1, List.of(
                oneOf("format", "srt", List.of("srt", "vtt"), "document format"),
                string("content", "", 2_000_000, "the SRT or WebVTT text"),
                integer("offsetMs", 0, -86_400_000, 86_400_000, "added to every cue time"),
                integer("fontSize", 36, 6, 400, "pixel size"),
                oneOf("position", "bottom", List.of("bottom", "top"), "where cues appear")),
                StageCatalog::requireSubtitles);
        add("captions", "Live captions sent through the API; each shows on the next frame.", true, 0.1, List.of(
                integer("fontSize", 36, 6, 400, "pixel size"),
                oneOf("position", "bottom", List.of("bottom", "top"), "where captions appear"),
                integer("durationMs", 4000, 200, 600_000, "how long a caption stays"),
                integer("maxLines", 2, 1, 10, "older lines scroll away")));
    }

    private StageCatalog() {
    }

    public static Map<String, StageType> types() {
        return java.util.Collections.unmodifiableMap(TYPES);
    }

    public static StageType type(String name) {
        return TYPES.get(name);
    }

    private static void requireOdd(StageSpec s, String p) {
        if (s.intParam(p) % 2 == 0) {
            throw new SpecException(s.path() + "." + p, "must be odd");
        }
    }

    private static void requireEven(StageSpec s, String p) {
        if (s.intParam(p) % 2 != 0) {
            throw new SpecException(s.path() + "." + p, "must be even (4:2:0 chroma)");
        }
    }

    /** The document must parse as its format says, so that a node never gets subtitles it cannot show. */
    private static void requireSubtitles(StageSpec s) {
        try {
            SubtitleParser.parse(s.stringParam("format"), s.stringParam("content"));
        } catch (SubtitleFormatException e) {
            throw new SpecException(s.path() + ".content", e.getMessage());
        }
    }

    private static void requireColor(StageSpec s, String p) {
        if (!s.stringParam(p).matches("#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})")) {
            throw new SpecException(s.path() + "." + p, "must be #RRGGBB or #RRGGBBAA");
        }
    }
}
