package com.streamloom.control.placement;

import com.streamloom.spec.EncodingSpec;
import com.streamloom.spec.StreamSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A stream's cost pays for the frames it encodes: {@code encoding.maxFps} below the assumed rate lowers it. */
class CostModelTest {
    private final CostModel costs = new CostModel(1280, 720, 30);

    private static StreamSpec withMaxFps(Integer maxFps) {
        return new StreamSpec("s", null, null, new EncodingSpec(null, null, maxFps, null), null).validated();
    }

    @Test
    void maxFpsBelowTheAssumedRateLowersTheCost() {
        assertThat(costs.streamCost(withMaxFps(15))).isEqualTo(1280 * 720 * 15.0);
    }

    @Test
    void maxFpsZeroOrAboveTheAssumedRateCostsTheAssumedRate() {
        assertThat(costs.streamCost(withMaxFps(0))).isEqualTo(1280 * 720 * 30.0);
        assertThat(costs.streamCost(withMaxFps(60))).isEqualTo(1280 * 720 * 30.0);
        assertThat(costs.streamCost(withMaxFps(null))).isEqualTo(1280 * 720 * 30.0);
    }
}
