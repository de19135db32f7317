package com.streamloom.media.pipeline;

import com.streamloom.media.testing.PaintLumaStage;
import com.streamloom.spec.StageSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stage registry dispatches catalog types to the filter and overlay builders the node registers. */
class StagesTest {

    @Test
    void dispatchesFiltersAndOverlaysToTheirBuilders() {
        Stages stages = new Stages()
                .registerFilters(spec -> new PaintLumaStage("filter:" + spec.type(), 0))
                .registerOverlays(spec -> new PaintLumaStage("overlay:" + spec.type(), 0));
        List<FrameStage> built = stages.createAll(List.of(
                new StageSpec("grayscale").validated("stages[0]"),
                new StageSpec("text", Map.of("text", "hi")).validated("stages[1]"),
                new StageSpec("gaussian-blur").validated("stages[2]")));
        assertThat(built).extracting(FrameStage::name)
                .containsExactly("filter:grayscale", "overlay:text", "filter:gaussian-blur");
    }

    @Test
    void unregisteredTypeIsAClearErrorAndClosesWhatWasBuilt() {
        PaintLumaStage first = new PaintLumaStage("first", 0);
        Stages stages = new Stages().register("grayscale", spec -> first);
        assertThatThrownBy(() -> stages.createAll(List.of(new StageSpec("grayscale"), new StageSpec("sharpen"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no builder registered for stage type 'sharpen'");
        assertThat(first.closedOnThread).isNotNull();
        assertThatThrownBy(() -> stages.register("no-such-stage", spec -> first))
                .hasMessageContaining("unknown stage type 'no-such-stage'");
    }
}
