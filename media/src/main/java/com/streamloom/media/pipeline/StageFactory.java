package com.streamloom.media.pipeline;

import com.streamloom.spec.StageSpec;

/**
 * Turns one validated {@link StageSpec} into a ready {@link FrameStage}. The node passes one that knows every stage
 * type ({@link Stages}); tests pass their own. Throws {@link IllegalArgumentException} for a type it cannot build.
 */
@FunctionalInterface
public interface StageFactory {
    FrameStage create(StageSpec spec);

    /** Builds every stage of a list in order; if one fails, the ones already built are closed. */
    default java.util.List<FrameStage> createAll(java.util.List<StageSpec> specs) {
        java.util.List<FrameStage> built = new java.util.ArrayList<>(specs.size());
        try {
            for (StageSpec s : specs) {
                built.add(create(s));
            }
            return built;
        } catch (RuntimeException e) {
            built.forEach(FrameStage::close);
            throw e;
        }
    }
}
