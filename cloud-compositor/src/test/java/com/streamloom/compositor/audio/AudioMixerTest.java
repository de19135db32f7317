package com.streamloom.compositor.audio;

import com.streamloom.compositor.align.InputClock;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.spec.CompositionSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.streamloom.compositor.audio.AudioProbe.power;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two AAC inputs of different tones (440 Hz at 48 kHz stereo, 1000 Hz at 44.1 kHz mono, so the resampler works too)
 * go through the mixer on a simulated output clock; the decoded output's spectrum shows both tones when mixing and
 * one when following.
 */
class AudioMixerTest {
    static final long T0 = 5_000_000_000L;
    static final long TICK = 33_333;

    /** Runs the mixer for 1.5 s of output and returns the decoded output, 48 kHz stereo interleaved. */
    static float[] mixAndDecode(CompositionSpec.Audio audio) {
        CompositionSpec spec = new CompositionSpec("m", null, List.of(
                new CompositionSpec.Input("a", null, null, null, 1.0, null, 100),
                new CompositionSpec.Input("b", null, null, null, 0.8, null, 100)),
                null, audio, null).validated();
        Map<String, InputClock> clocks = Map.of("a", new InputClock(), "b", new InputClock());
        List<MediaPacket> a = AudioProbe.tone(440, 48_000, 2, 1.5), b = AudioProbe.tone(1000, 44_100, 1, 1.5);
        List<MediaPacket> out = new ArrayList<>();
        try (AudioMixer mixer = new AudioMixer(128_000)) {
            mixer.startAt(T0);
            mixer.configure(spec, clocks::get);
            int ia = 0, ib = 0;
            for (long now = T0; now < T0 + 1_500_000; now += TICK) {
                // Packets arrive in real time (pts 0 at T0), each stream on its own, then the output tick mixes.
                while (ia < a.size() && T0 + a.get(ia).ptsMicros() <= now) mixer.accept("a", a.get(ia++), now);
                while (ib < b.size() && T0 + b.get(ib).ptsMicros() <= now) mixer.accept("b", b.get(ib++), now);
                out.addAll(mixer.mixUntil(now));
            }
            assertThat(mixer.stats().decodeErrors()).isZero();
            assertThat(mixer.stats().packetsWithoutConfig()).isZero();
            return AudioProbe.decode(out);
        }
    }

    @Test
    void mixContainsBothTones() {
        float[] out = mixAndDecode(new CompositionSpec.Audio("mix", null));
        assertThat(out.length / 2).isGreaterThan(60_000); // 1.5 s mixed, less the encoder's delay and last partial frame
        double p440 = power(out, 440, 0.4, 1.2), p1000 = power(out, 1000, 0.4, 1.2), off = power(out, 700, 0.4, 1.2);
        assertThat(p440).isGreaterThan(100 * off);
        assertThat(p1000).isGreaterThan(100 * off);
        // Gains 1.0 and 0.8 on equal tones: power ratio 0.64; the mono input is spread to both channels at -3 dB
        // (FFmpeg's centre mix level), another factor 0.5: 0.32.
        assertThat(p1000 / p440).isBetween(0.25, 0.40);
        // Before the first input is due (jitter 100 ms) the output is silence, not garbage.
        assertThat(power(out, 440, 0.0, 0.05)).isLessThan(p440 / 100);
    }

    @Test
    void followContainsOnlyTheFollowedInput() {
        float[] out = mixAndDecode(new CompositionSpec.Audio("follow", "b"));
        double p440 = power(out, 440, 0.4, 1.2), p1000 = power(out, 1000, 0.4, 1.2), off = power(out, 700, 0.4, 1.2);
        assertThat(p1000).isGreaterThan(100 * off);
        assertThat(p440).isLessThan(p1000 / 1000);
    }

    @Test
    void limiterBendsLoudSamplesBelowFullScale() {
        float[] s = {0.5f, -0.5f, 0.9f, 1.5f, -3f};
        AudioMixer.limit(s, s.length);
        assertThat(s[0]).isEqualTo(0.5f);
        assertThat(s[1]).isEqualTo(-0.5f);
        assertThat(s[2]).isBetween(0.8f, 0.9f);
        assertThat(s[3]).isBetween(s[2], 1f);
        assertThat(s[4]).isBetween(-1f, -s[3]);
    }

    @Test
    void garbageAudioIsCountedNotThrown() {
        CompositionSpec spec = new CompositionSpec("m", null,
                List.of(new CompositionSpec.Input("a", null, null, null, null, null, null)), null, null, null).validated();
        try (AudioMixer mixer = new AudioMixer(128_000)) {
            mixer.startAt(T0);
            mixer.configure(spec, s -> new InputClock());
            mixer.accept("a", new MediaPacket(MediaPacket.Track.AUDIO, MediaPacket.Codec.AAC, 0, 0, true, false,
                    new byte[]{1, 2, 3}), T0);
            mixer.accept("a", MediaPacket.audioConfig(0, new byte[]{0x12, 0x10}), T0); // AAC-LC 44.1k stereo
            mixer.accept("a", new MediaPacket(MediaPacket.Track.AUDIO, MediaPacket.Codec.AAC, 0, 0, true, false,
                    new byte[]{(byte) 0xff, (byte) 0xff, 0, 0, 0x55}), T0);
            assertThat(mixer.stats().packetsWithoutConfig()).isEqualTo(1);
            assertThat(mixer.stats().decodeErrors()).isEqualTo(1);
            assertThat(mixer.mixUntil(T0 + 100_000)).isNotNull();
        }
    }
}
