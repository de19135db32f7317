package com.streamloom.compositor.audio;

import com.streamloom.media.packet.MediaPacket;

import java.util.ArrayList;
import java.util.List;

/** Test helpers: AAC tone packets in, decoded spectrum out. */
public final class AudioProbe {
    private AudioProbe() {
    }

    /** Encodes {@code seconds} of a sine tone (amplitude 0.3) to AAC packets, the first one the config packet. */
    public static List<MediaPacket> tone(double hz, int rate, int channels, double seconds) {
        int frames = (int) (rate * seconds);
        float[] pcm = new float[frames * channels];
        for (int i = 0; i < frames; i++) {
            float s = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / rate));
            for (int c = 0; c < channels; c++) pcm[i * channels + c] = s;
        }
        try (AacEncoder enc = new AacEncoder(rate, channels, 96_000)) {
            return enc.encode(pcm, frames); // the encoder's config packet first
        }
    }

    /** Decodes AAC packets (config first) to 48 kHz stereo interleaved samples. */
    public static float[] decode(List<MediaPacket> packets) {
        if (packets.isEmpty() || !packets.get(0).config()) throw new IllegalArgumentException("config packet first");
        try (AacDecoder dec = new AacDecoder(packets.get(0).data())) {
            List<float[]> parts = new ArrayList<>();
            int total = 0;
            for (MediaPacket p : packets.subList(1, packets.size())) {
                float[] s = dec.decode(p.data());
                parts.add(s);
                total += s.length;
            }
            float[] all = new float[total];
            int at = 0;
            for (float[] s : parts) {
                System.arraycopy(s, 0, all, at, s.length);
                at += s.length;
            }
            return all;
        }
    }

    /** Goertzel power of one frequency over the left channel of [from, to) seconds of 48 kHz stereo. */
    public static double power(float[] stereo, double hz, double from, double to) {
        int a = (int) (from * 48_000), b = Math.min((int) (to * 48_000), stereo.length / 2);
        double coeff = 2 * Math.cos(2 * Math.PI * hz / 48_000);
        double s1 = 0, s2 = 0;
        for (int i = a; i < b; i++) {
            double s = stereo[i * 2] + coeff * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        int n = b - a;
        return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / ((double) n * n);
    }
}
