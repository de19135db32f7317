package com.streamloom.media.filter;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameStage;
import com.streamloom.spec.SpecException;
import com.streamloom.spec.StageCatalog;
import com.streamloom.spec.StageSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static com.streamloom.media.testing.FramesForTests.checkerboard;
import static com.streamloom.media.testing.FramesForTests.context;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every catalog filter type builds, runs and closes cleanly, and bad parameters name their field. */
class FiltersTest {

    static Stream<String> filterTypes() {
        return StageCatalog.types().values().stream().filter(t -> !t.overlay()).map(StageCatalog.StageType::type);
    }

    static Stream<String> overlayTypes() {
        return StageCatalog.types().values().stream().filter(StageCatalog.StageType::overlay)
                .map(StageCatalog.StageType::type);
    }

    @Test
    void buildsEveryFilterTypeOfTheCatalog() {
        assertThat(Filters.TYPES).isEqualTo(filterTypes().collect(Collectors.toSet()));
    }

    @ParameterizedTest
    @MethodSource("filterTypes")
    void eachTypeBuildsWithItsDefaultsRunsAndClosesCleanly(String type) {
        FrameStage stage = Filters.create(new StageSpec(type));
        try (stage) {
            assertThat(stage.name()).isEqualTo(type);
            VideoFrame out = stage.apply(checkerboard(320, 240, 8, 30, 220), context(0));
            assertThat(out).isNotNull();
            assertThat(out.isClosed()).isFalse();
            out.close();
            assertThat(stage.stats().framesIn()).isEqualTo(1);
            assertThat(stage.stats().framesOut()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("overlayTypes")
    void refusesOverlayTypes(String type) {
        assertThatThrownBy(() -> Filters.create(new StageSpec(type)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlay")
                .hasMessageContaining(type);
    }

    @Test
    void refusesAnUnknownType() {
        assertThatThrownBy(() -> Filters.create(new StageSpec("sepia")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sepia");
    }

    @Test
    void refusesBadParametersNamingTheField() {
        assertThatThrownBy(() -> Filters.create(new StageSpec("gaussian-blur", Map.of("kernel", 8))))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("kernel");
        assertThatThrownBy(() -> Filters.create(new StageSpec("rotate", Map.of("degrees", 45))))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("degrees");
    }

    @Test
    void passesParametersToTheStage() {
        try (FrameStage stage = Filters.create(new StageSpec("scale", Map.of("width", 160, "height", 90)));
             VideoFrame out = stage.apply(checkerboard(320, 240, 8, 30, 220), context(0))) {
            assertThat(out.width()).isEqualTo(160);
            assertThat(out.height()).isEqualTo(90);
        }
    }
}
