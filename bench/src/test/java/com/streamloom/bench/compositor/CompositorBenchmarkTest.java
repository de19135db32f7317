package com.streamloom.bench.compositor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The compositor benchmark takes its options as Maven passes them: all in one argument, or one per argument. */
class CompositorBenchmarkTest {

    @Test
    void optionsGivenAsOneArgumentAreSplitAtWhiteSpace() {
        CompositorBenchmark.Options o = CompositorBenchmark.Options.parse(
                new String[] {"frames=90 rounds=1 inputs=4  maxInputs=2 seconds=2 compare=false"});
        assertThat(o).isEqualTo(new CompositorBenchmark.Options(90, 4, 2, 2, 1, false));
    }

    @Test
    void optionsOnePerArgumentAndDefaults() {
        assertThat(CompositorBenchmark.Options.parse(new String[] {"frames=120", "rounds=3"}))
                .isEqualTo(new CompositorBenchmark.Options(120, 4, 16, 4, 3, true));
        assertThat(CompositorBenchmark.Options.parse(new String[0]))
                .isEqualTo(new CompositorBenchmark.Options(300, 4, 16, 4, 5, true));
    }

    @Test
    void refusesUnknownAndMalformedOptions() {
        assertThatThrownBy(() -> CompositorBenchmark.Options.parse(new String[] {"speed=11"}))
                .hasMessageContaining("unknown argument speed");
        assertThatThrownBy(() -> CompositorBenchmark.Options.parse(new String[] {"frames=many"}))
                .hasMessageContaining("bad value for frames");
        assertThatThrownBy(() -> CompositorBenchmark.Options.parse(new String[] {"frames"}))
                .hasMessageContaining("key=value");
    }
}
