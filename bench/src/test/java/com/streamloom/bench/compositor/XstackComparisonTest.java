package com.streamloom.bench.compositor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The arithmetic the head-to-head benchmark reports: medians of alternating rounds and their ratios. */
class XstackComparisonTest {

    @Test
    void medianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes() {
        assertThat(XstackComparison.medianOf(new double[]{5, 1, 3})).isEqualTo(3);
        assertThat(XstackComparison.medianOf(new double[]{4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(XstackComparison.medianOf(new double[]{7})).isEqualTo(7);
    }

    @Test
    void ratiosCompareTheMediansSoOneDisturbedRoundDoesNotDecide() {
        // 300 frames: 2.0 s is 150 fps. Ours: 150, 100 (a round disturbed by other work), 150 fps.
        List<XstackComparison.Run> ours = List.of(new XstackComparison.Run("ours", 300, 2.0, 4.2),
                new XstackComparison.Run("ours", 300, 3.0, 4.5), new XstackComparison.Run("ours", 300, 2.0, 4.2));
        List<XstackComparison.Run> theirs = List.of(new XstackComparison.Run("ffmpeg", 300, 2.5, 4.5),
                new XstackComparison.Run("ffmpeg", 300, 2.5, 4.5), new XstackComparison.Run("ffmpeg", 300, 2.4, 4.8));
        XstackComparison.Comparison c = new XstackComparison.Comparison(ours, theirs);
        assertThat(c.fpsRatio()).isCloseTo(150.0 / 120.0, within(1e-9));
        assertThat(c.cpuEfficiencyRatio()).isCloseTo(15.0 / 14.0, within(1e-9));
        assertThat(c.minRoundFpsRatio()).isCloseTo(100.0 / 120.0, within(1e-9));
        assertThat(c.maxRoundFpsRatio()).isCloseTo(150.0 / 120.0, within(1e-9));
    }
}
