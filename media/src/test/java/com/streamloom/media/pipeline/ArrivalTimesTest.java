package com.streamloom.media.pipeline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Arrival times are found by timestamp in any decode order, in a bounded ring. */
class ArrivalTimesTest {

    @Test
    void takesByPtsInAnyDecodeOrderAndForgetsOlderFrames() {
        ArrivalTimes a = new ArrivalTimes(8);
        // Decode order of I P B B: pts 0, 300, 100, 200.
        a.put(0, 10);
        a.put(300, 13);
        a.put(100, 11);
        a.put(200, 12);
        assertThat(a.take(0)).isEqualTo(10);
        // pts 100 was dropped by a stage: taking 200 forgets it.
        assertThat(a.take(200)).isEqualTo(12);
        assertThat(a.take(100)).isEqualTo(Long.MIN_VALUE);
        assertThat(a.take(300)).isEqualTo(13);
        assertThat(a.size()).isZero();
        assertThat(a.take(300)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aFullRingOverwritesTheOldestEntry() {
        ArrivalTimes a = new ArrivalTimes(4);
        for (long pts = 0; pts < 6; pts++) {
            a.put(pts * 100, 1000 + pts);
        }
        assertThat(a.size()).isEqualTo(4);
        assertThat(a.take(100)).isEqualTo(Long.MIN_VALUE);
        assertThat(a.take(200)).isEqualTo(1002);
        assertThat(a.take(500)).isEqualTo(1005);
        assertThat(a.size()).isZero();
    }
}
