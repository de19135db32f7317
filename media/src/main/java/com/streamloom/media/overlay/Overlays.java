package com.streamloom.media.overlay;

import com.streamloom.spec.subtitle.SubtitleParser;
import com.streamloom.spec.subtitle.SubtitleFormatException;
import com.streamloom.media.pipeline.FrameStage;
import com.streamloom.spec.StageCatalog;
import com.streamloom.spec.SpecException;
import com.streamloom.spec.StageSpec;

import java.time.Duration;

/**
 * Builds the overlay stage for a pipeline spec's overlay entry: the catalog types {@code text}, {@code image},
 * {@code subtitles} and {@code captions} (see {@link StageCatalog} for their parameters). Heavy work (decoding the
 * image, parsing the subtitles) happens here, so a bad spec fails when it is applied, not on a live frame.
 */
public final class Overlays {
    private Overlays() {
    }

    /**
     * Builds an overlay whose {@code image} stages take data: URIs only (no file of the node is an asset).
     *
     * @param spec     an overlay stage spec; missing parameters take the catalog's defaults
     * @param captions the stream's caption feed; needed only by a {@code captions} stage
     * @throws IllegalArgumentException for a type that is not an overlay, bad parameters, an undecodable image or a
     *                                  malformed subtitle document (a {@link SpecException} naming the field)
     */
    public static FrameStage create(StageSpec spec, CaptionFeed captions) {
        return create(spec, captions, ImageAssets.dataOnly());
    }

    /**
     * As {@link #create(StageSpec, CaptionFeed)}, with the files an {@code image} stage may read.
     *
     * @param assets where an {@code image} stage's {@code source} may point: data: URIs and the node's assets
     */
    public static FrameStage create(StageSpec spec, CaptionFeed captions, ImageAssets assets) {
        StageCatalog.StageType type = spec.type() == null ? null : StageCatalog.type(spec.type());
        if (type == null || !type.overlay()) {
            throw new IllegalArgumentException("not an overlay type: '" + spec.type() + "'; overlays are "
                    + StageCatalog.types().values().stream().filter(StageCatalog.StageType::overlay)
                    .map(StageCatalog.StageType::type).toList());
        }
        StageSpec s = spec.validated(spec.path());
        return switch (s.type()) {
            case "text" -> new TextOverlay(s.stringParam("text"), new TextStyle(s.intParam("fontSize"),
                    TextStyle.parseColor(s.stringParam("color")), s.intParam("outline"), s.boolParam("box"),
                    TextStyle.parseColor(s.stringParam("boxColor")), s.stringParam("font"), false),
                    Anchor.at(s.intParam("x"), s.intParam("y")));
            case "image" -> {
                try {
                    yield ImageOverlay.fromSource(assets, s.stringParam("source"), s.intParam("width"),
                            s.doubleParam("opacity"), Anchor.at(s.intParam("x"), s.intParam("y")));
                } catch (IllegalArgumentException e) {
                    throw new SpecException(s.path() + ".source", e.getMessage());
                }
            }
            case "subtitles" -> {
                try {
                    yield new SubtitleOverlay(SubtitleParser.parse(s.stringParam("format"), s.stringParam("content")),
                            s.intParam("offsetMs"), s.intParam("fontSize"),
                            Anchor.Band.parse(s.stringParam("position")));
                } catch (SubtitleFormatException e) {
                    throw new SpecException(s.path() + ".content", e.getMessage());
                }
            }
            case "captions" -> {
                if (captions == null) {
                    throw new IllegalArgumentException("a captions stage needs the stream's CaptionFeed");
                }
                yield new CaptionOverlay(captions, s.intParam("fontSize"), Anchor.Band.parse(s.stringParam("position")),
                        Duration.ofMillis(s.intParam("durationMs")), s.intParam("maxLines"));
            }
            default -> throw new IllegalArgumentException("overlay type '" + s.type() + "' has no stage yet");
        };
    }
}
