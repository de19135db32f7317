package com.streamloom.media.packet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A sequence of sources lands on one running clock that never goes back, each source keeping its own spacing. */
class SourceRetimerTest {

    private static MediaPacket video(long micros) {
        return new MediaPacket(MediaPacket.Track.VIDEO, MediaPacket.Codec.H264, micros, micros, false, false,
                new byte[] {1});
    }

    @Test
    void firstSourceKeepsItsTimesAndTheNextContinuesAfterIt() {
        SourceRetimer retimer = SourceRetimer.keepingFirstSource();
        assertThat(retimer.retime(video(5_000_000)).dtsMicros()).isEqualTo(5_000_000);
        MediaPacket last = retimer.retime(video(7_000_000));
        retimer.extendTo(last.dtsMicros() + 33_333);

        retimer.newSource();
        // The publisher came back with its clock at zero: it continues right after the end of the last frame.
        assertThat(retimer.retime(video(0)).dtsMicros()).isEqualTo(7_033_333);
        assertThat(retimer.retime(video(40_000)).dtsMicros()).isEqualTo(7_073_333);
    }

    @Test
    void aFixedOriginAndAGapBetweenSources() {
        SourceRetimer retimer = SourceRetimer.startingAt(1_000_000);
        retimer.anchor(123_456_789, 0);
        assertThat(retimer.toRunningClock(123_456_789)).isEqualTo(1_000_000);
        retimer.extendTo(retimer.toRunningClock(125_456_789));

        retimer.newSource();
        assertThat(retimer.anchored()).isFalse();
        retimer.anchor(50, 2_000);
        assertThat(retimer.toRunningClock(50)).isEqualTo(3_002_000);
        assertThat(retimer.endMicros()).isEqualTo(3_000_000);
    }

    @Test
    void theRunningClockNeverGoesBack() {
        SourceRetimer retimer = SourceRetimer.startingAt(0);
        retimer.anchor(0, 0);
        retimer.extendTo(5_000_000);
        retimer.extendTo(1_000_000); // a late packet of an earlier time does not pull the end back
        retimer.newSource();
        retimer.anchor(9_000_000, 0);
        assertThat(retimer.toRunningClock(9_000_000)).isEqualTo(5_000_000);
    }
}
