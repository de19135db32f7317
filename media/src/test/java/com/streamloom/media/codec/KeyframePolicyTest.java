package com.streamloom.media.codec;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeyframePolicyTest {
    @Test
    void forcesTheFirstFrameAtEachBoundaryAndAfterReset() {
        KeyframePolicy k = KeyframePolicy.atSegmentBoundaries(1_000_000);
        assertThat(List.of(k.forceKeyframe(500_000), k.forceKeyframe(966_000), k.forceKeyframe(1_000_000),
                k.forceKeyframe(1_033_000), k.forceKeyframe(2_010_000))).containsExactly(true, false, true, false, true);
        assertThat(k.forceKeyframe(100_000)).as("time went backwards: a new timeline").isTrue();
        k.reset();
        assertThat(k.forceKeyframe(5_500_000)).isTrue();
        assertThat(k.forceKeyframe(5_900_000)).isFalse();
        assertThat(k.forceKeyframe(6_000_000)).isTrue();
    }
}
