package com.streamloom.compositor.audio;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

/**
 * Decodes raw AAC access units (the {@link com.streamloom.media.packet.MediaPacket} convention: no ADTS, the
 * AudioSpecificConfig given up front) with FFmpeg's decoder and resamples whatever comes out (any rate, mono or
 * stereo, planar or not) to the mixer's format: 48 kHz stereo interleaved float. Owns every native object it makes.
 */
final class AacDecoder implements AutoCloseable {
    static final int OUT_RATE = 48_000;
    static final int OUT_CHANNELS = 2;
    /** Largest access unit accepted; AAC frames are a few hundred bytes, 6144 bits per channel at most. */
    static final int MAX_ACCESS_UNIT = 64 * 1024;

    private AVCodecContext ctx;
    private AVPacket packet;
    private AVFrame frame;
    private SwrContext swr;
    private final AVChannelLayout outLayout = new AVChannelLayout();
    private int swrRate, swrFormat, swrChannels;
    private FloatPointer out;
    private int outCapacity;
    private final PointerPointer<FloatPointer> outPlanes = new PointerPointer<>(1);

    AacDecoder(byte[] audioSpecificConfig) {
        if (audioSpecificConfig == null || audioSpecificConfig.length < 2 || audioSpecificConfig.length > 64) {
            throw new IllegalArgumentException("AudioSpecificConfig must be 2 to 64 bytes");
        }
        AVCodec codec = avcodec_find_decoder(AV_CODEC_ID_AAC);
        ctx = avcodec_alloc_context3(codec);
        try {
            // extradata must come from av_malloc (the context frees it) and carry zeroed padding.
            BytePointer extradata = new BytePointer(av_malloc(audioSpecificConfig.length + AV_INPUT_BUFFER_PADDING_SIZE))
                    .capacity(audioSpecificConfig.length + AV_INPUT_BUFFER_PADDING_SIZE);
            extradata.fill(0);
            extradata.put(audioSpecificConfig);
            ctx.extradata(extradata);
            ctx.extradata_size(audioSpecificConfig.length);
            Av.check(avcodec_open2(ctx, codec, (AVDictionary) null), "opening the AAC decoder");
            packet = av_packet_alloc();
            frame = av_frame_alloc();
            av_channel_layout_default(outLayout, OUT_CHANNELS);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Decodes one access unit and returns its samples, 48 kHz stereo interleaved (possibly none: the decoder and
     * the resampler both have a little delay).
     */
    float[] decode(byte[] accessUnit) {
        if (accessUnit.length == 0 || accessUnit.length > MAX_ACCESS_UNIT) {
            throw new IllegalArgumentException("AAC access unit of " + accessUnit.length + " bytes");
        }
        Av.check(av_new_packet(packet, accessUnit.length), "allocating a packet");
        packet.data().put(accessUnit, 0, accessUnit.length);
        int sent = avcodec_send_packet(ctx, packet);
        av_packet_unref(packet);
        Av.check(sent, "decoding AAC");
        float[] result = new float[0];
        while (true) {
            int r = avcodec_receive_frame(ctx, frame);
            if (r == Av.EAGAIN) break;
            Av.check(r, "receiving decoded audio");
            result = append(result, resample(frame));
        }
        return result;
    }

    private float[] resample(AVFrame f) {
        int channels = f.ch_layout().nb_channels();
        if (swr == null || f.sample_rate() != swrRate || f.format() != swrFormat || channels != swrChannels) {
            // First frame, or the publisher changed its audio format: a new resampler for the new input.
            if (swr != null) swr_free(swr);
            try (PointerPointer<SwrContext> created = new PointerPointer<>(1)) {
                created.fill(0); // *ps must be NULL: swr_alloc_set_opts2 allocates the context then
                Av.check(swr_alloc_set_opts2(created, outLayout, AV_SAMPLE_FMT_FLT, OUT_RATE,
                        f.ch_layout(), f.format(), f.sample_rate(), 0, null), "configuring the resampler");
                swr = created.get(SwrContext.class, 0);
            }
            Av.check(swr_init(swr), "starting the resampler");
            swrRate = f.sample_rate();
            swrFormat = f.format();
            swrChannels = channels;
        }
        int want = swr_get_out_samples(swr, f.nb_samples());
        if (want > outCapacity) {
            if (out != null) out.close();
            outCapacity = want + 256;
            out = new FloatPointer((long) outCapacity * OUT_CHANNELS);
            outPlanes.put(0, out);
        }
        int got = Av.check(swr_convert(swr, outPlanes, outCapacity, f.extended_data(), f.nb_samples()),
                "resampling");
        float[] samples = new float[got * OUT_CHANNELS];
        out.get(samples);
        return samples;
    }

    private static float[] append(float[] a, float[] b) {
        if (a.length == 0) return b;
        float[] c = new float[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Override
    public void close() {
        if (ctx != null) avcodec_free_context(ctx);
        ctx = null;
        if (packet != null) av_packet_free(packet);
        packet = null;
        if (frame != null) av_frame_free(frame);
        frame = null;
        if (swr != null) swr_free(swr);
        swr = null;
        if (out != null) out.close();
        out = null;
        av_channel_layout_uninit(outLayout);
        outPlanes.close();
    }
}
