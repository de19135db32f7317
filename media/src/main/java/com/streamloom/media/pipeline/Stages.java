package com.streamloom.media.pipeline;

import com.streamloom.spec.StageCatalog;
import com.streamloom.spec.StageSpec;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The default {@link StageFactory}: a registry from stage type (as named in {@link StageCatalog}) to a builder.
 * The filter and overlay packages register their builders, so this package depends on neither:
 *
 * <pre>{@code
 * Stages stages = new Stages()
 *         .registerFilters(spec -> Filters.create(spec))                    // every non-overlay catalog type
 *         .registerOverlays(spec -> Overlays.create(spec, captionFeed));    // every overlay catalog type
 * StreamProcessor p = StreamProcessor.builder("cam1").stages(stages.createAll(spec.stages()))...
 * processor.updateStages(stages.createAll(newSpec.stages()));
 * }</pre>
 */
public final class Stages implements StageFactory {
    private final Map<String, Function<StageSpec, FrameStage>> builders = new ConcurrentHashMap<>();

    /** Registers the builder of one stage type; the type must be in the catalog. */
    public Stages register(String type, Function<StageSpec, FrameStage> builder) {
        if (StageCatalog.type(type) == null) {
            throw new IllegalArgumentException("unknown stage type '" + type + "'; the catalog has "
                    + StageCatalog.types().keySet());
        }
        builders.put(type, Objects.requireNonNull(builder, "builder"));
        return this;
    }

    /** Registers one builder for every catalog type that is not an overlay (grayscale, blur, ..., ffmpeg). */
    public Stages registerFilters(Function<StageSpec, FrameStage> builder) {
        return registerWhere(false, builder);
    }

    /** Registers one builder for every overlay type of the catalog (text, image, subtitles, captions). */
    public Stages registerOverlays(Function<StageSpec, FrameStage> builder) {
        return registerWhere(true, builder);
    }

    private Stages registerWhere(boolean overlay, Function<StageSpec, FrameStage> builder) {
        StageCatalog.types().values().stream().filter(t -> t.overlay() == overlay)
                .forEach(t -> register(t.type(), builder));
        return this;
    }

    @Override
    public FrameStage create(StageSpec spec) {
        Function<StageSpec, FrameStage> b = builders.get(spec.type());
        if (b == null) {
            throw new IllegalArgumentException("no builder registered for stage type '" + spec.type()
                    + "' (registered: " + new TreeMap<>(builders).keySet() + ")");
        }
        FrameStage stage = b.apply(spec);
        if (stage == null) {
            throw new IllegalStateException("the builder of '" + spec.type() + "' returned no stage");
        }
        return stage;
    }
}
