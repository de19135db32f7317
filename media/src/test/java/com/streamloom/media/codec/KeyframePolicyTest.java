package com.streamloom.media.codec;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An IDR starts every timeline, and boundaries follow every segment duration from that first frame. */
class KeyframePolicyTest {
    @Test
    void forcesTheFirstFrameAtEachBoundaryAndAfterReset() {
        KeyframePolicy k = KeyframePolicy.atSegmentBoundaries(1_000_000);
        // Boundaries from the first frame (0.5 s): 1.5 s, 2.5 s, ...
        assertThat(List.of(k.forceKeyframe(500_000), k.forceKeyframe(966_000), k.forceKeyframe(1_000_000),
                k.forceKeyframe(1_500_000), k.forceKeyframe(2_010_000), k.forceKeyframe(2_510_000)))
                .containsExactly(true, false, false, true, false, true);
        assertThat(k.forceKeyframe(100_000)).as("time went backwards: a new timeline").isTrue();
        assertThat(k.forceKeyframe(1_000_000)).isFalse();
        assertThat(k.forceKeyframe(1_100_000)).isTrue();
        k.reset();
        assertThat(k.forceKeyframe(5_500_000)).isTrue();
        // A publisher that came back: its first GOP is a whole segment, not the rest of one (5.5 to 6 s).
        assertThat(k.forceKeyframe(6_000_000)).isFalse();
        assertThat(k.forceKeyframe(6_500_000)).isTrue();
    }

    @Test
    void framesThatSkipABoundaryStayOnTheTimelinesGrid() {
        KeyframePolicy k = KeyframePolicy.atSegmentBoundaries(2_000_000);
        assertThat(k.forceKeyframe(300_000)).isTrue();
        assertThat(k.forceKeyframe(4_700_000)).as("a stall past two boundaries").isTrue();
        assertThat(k.forceKeyframe(6_200_000)).isFalse();
        assertThat(k.forceKeyframe(6_300_000)).as("the next boundary of the grid from 0.3 s").isTrue();
    }
}
