package com.streamloom.compositor.audio;

import com.streamloom.media.codec.AudioDecoder;
import com.streamloom.media.codec.FfmpegError;
import com.streamloom.media.packet.MediaPacket;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

/**
 * Decodes raw AAC access units (the {@link MediaPacket} convention: no ADTS, the AudioSpecificConfig given up front)
 * with the media library's {@link AudioDecoder} and resamples whatever comes out (any rate, mono or stereo, planar
 * or not) to the mixer's format: 48 kHz stereo interleaved float. Owns every native object it makes.
 */
final class AacDecoder implements AutoCloseable {
    static final int OUT_RATE = 48_000;
    static final int OUT_CHANNELS = 2;
    /** Largest access unit accepted; AAC frames are a few hundred bytes, 6144 bits per channel at most. */
    static final int MAX_ACCESS_UNIT = 64 * 1024;

    private final AudioDecoder decoder = new AudioDecoder();
    private SwrContext swr;
    private final AVChannelLayout outLayout = new AVChannelLayout();
    private int swrRate;
    private int swrFormat;
    private int swrChannels;
    private FloatPointer out;
    private int outCapacity;
    private final PointerPointer<FloatPointer> outPlanes = new PointerPointer<>(1);
    private float[] result;

    AacDecoder(byte[] audioSpecificConfig) {
        if (audioSpecificConfig == null || audioSpecificConfig.length < 2 || audioSpecificConfig.length > 64) {
            close();
            throw new IllegalArgumentException("AudioSpecificConfig must be 2 to 64 bytes");
        }
        decoder.decode(MediaPacket.audioConfig(0, audioSpecificConfig), f -> { });
        if (decoder.corruptPackets() > 0) {
            close();
            throw new IllegalArgumentException("the AAC decoder refused the AudioSpecificConfig");
        }
        av_channel_layout_default(outLayout, OUT_CHANNELS);
    }

    /**
     * Decodes one access unit and returns its samples, 48 kHz stereo interleaved (possibly none: the decoder and
     * the resampler both have a little delay). A corrupt access unit is an IllegalArgumentException.
     */
    float[] decode(byte[] accessUnit) {
        if (accessUnit.length == 0 || accessUnit.length > MAX_ACCESS_UNIT) {
            throw new IllegalArgumentException("AAC access unit of " + accessUnit.length + " bytes");
        }
        long corruptBefore = decoder.corruptPackets();
        result = new float[0];
        decoder.decode(new MediaPacket(MediaPacket.Track.AUDIO, MediaPacket.Codec.AAC, 0, 0, true, false,
                accessUnit), f -> result = append(result, resample(f)));
        if (decoder.corruptPackets() > corruptBefore) {
            throw new IllegalArgumentException("corrupt AAC access unit of " + accessUnit.length + " bytes");
        }
        return result;
    }

    private float[] resample(AVFrame f) {
        int channels = f.ch_layout().nb_channels();
        if (swr == null || f.sample_rate() != swrRate || f.format() != swrFormat || channels != swrChannels) {
            // First frame, or the publisher changed its audio format: a new resampler for the new input.
            if (swr != null) {
                swr_free(swr);
            }
            try (PointerPointer<SwrContext> created = new PointerPointer<>(1)) {
                created.fill(0); // *ps must be NULL: swr_alloc_set_opts2 allocates the context then
                FfmpegError.check(swr_alloc_set_opts2(created, outLayout, AV_SAMPLE_FMT_FLT, OUT_RATE,
                        f.ch_layout(), f.format(), f.sample_rate(), 0, null), "configuring the resampler");
                swr = created.get(SwrContext.class, 0);
            }
            FfmpegError.check(swr_init(swr), "starting the resampler");
            swrRate = f.sample_rate();
            swrFormat = f.format();
            swrChannels = channels;
        }
        int want = swr_get_out_samples(swr, f.nb_samples());
        if (want > outCapacity) {
            if (out != null) {
                out.close();
            }
            outCapacity = want + 256;
            out = new FloatPointer((long) outCapacity * OUT_CHANNELS);
            outPlanes.put(0, out);
        }
        int got = FfmpegError.check(swr_convert(swr, outPlanes, outCapacity, f.extended_data(), f.nb_samples()),
                "resampling");
        float[] samples = new float[got * OUT_CHANNELS];
        out.get(samples);
        return samples;
    }

    private static float[] append(float[] a, float[] b) {
        if (a.length == 0) {
            return b;
        }
        float[] c = new float[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Override
    public void close() {
        decoder.close();
        if (swr != null) {
            swr_free(swr);
        }
        swr = null;
        if (out != null) {
            out.close();
        }
        out = null;
        av_channel_layout_uninit(outLayout);
        outPlanes.close();
    }
}
