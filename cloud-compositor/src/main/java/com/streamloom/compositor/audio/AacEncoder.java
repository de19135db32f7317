package com.streamloom.compositor.audio;

import com.streamloom.media.packet.MediaPacket;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.FloatPointer;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;

/**
 * Encodes interleaved float PCM to raw AAC-LC access units with FFmpeg's native {@code aac} encoder (LGPL, always
 * built, good enough at 128 kbit/s), as {@link MediaPacket}s with microsecond timestamps on the output clock.
 * The AudioSpecificConfig (global header) is available up front for the first config packet.
 */
final class AacEncoder implements AutoCloseable {
    private final int sampleRate;
    private final int channels;
    private AVCodecContext ctx;
    private AVFrame frame;
    private AVPacket packet;
    private final int frameSize;
    private final float[][] pending;
    private int pendingCount;
    private long samplesSent;
    private final byte[] audioSpecificConfig;

    AacEncoder(int sampleRate, int channels, int bitRate) {
        if (channels < 1 || channels > 2) throw new IllegalArgumentException("1 or 2 channels, got " + channels);
        this.sampleRate = sampleRate;
        this.channels = channels;
        AVCodec codec = avcodec_find_encoder_by_name("aac");
        if (codec == null) throw new IllegalStateException("FFmpeg has no aac encoder");
        ctx = avcodec_alloc_context3(codec);
        try {
            ctx.sample_fmt(AV_SAMPLE_FMT_FLTP);
            ctx.sample_rate(sampleRate);
            av_channel_layout_default(ctx.ch_layout(), channels);
            ctx.bit_rate(bitRate);
            ctx.time_base(new AVRational().num(1).den(sampleRate));
            // Global header: the AudioSpecificConfig goes to extradata instead of ADTS headers in every frame.
            ctx.flags(ctx.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            Av.check(avcodec_open2(ctx, codec, (AVDictionary) null), "opening the AAC encoder");
            frameSize = ctx.frame_size();
            audioSpecificConfig = new byte[ctx.extradata_size()];
            ctx.extradata().get(audioSpecificConfig);
            frame = av_frame_alloc();
            frame.nb_samples(frameSize);
            frame.format(AV_SAMPLE_FMT_FLTP);
            frame.sample_rate(sampleRate);
            av_channel_layout_default(frame.ch_layout(), channels);
            Av.check(av_frame_get_buffer(frame, 0), "allocating the audio frame");
            packet = av_packet_alloc();
            pending = new float[channels][frameSize];
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    byte[] audioSpecificConfig() {
        return audioSpecificConfig.clone();
    }

    /** Samples per AAC frame (1024). */
    int frameSize() {
        return frameSize;
    }

    /**
     * Adds {@code frames} interleaved samples and returns the access units completed so far. Timestamps count from
     * the first sample given (pts 0), shifted by the encoder's priming delay so the first packet starts at 0.
     */
    List<MediaPacket> encode(float[] interleaved, int frames) {
        List<MediaPacket> out = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            for (int c = 0; c < channels; c++) {
                pending[c][pendingCount] = interleaved[i * channels + c];
            }
            if (++pendingCount == frameSize) {
                sendFrame(out);
                pendingCount = 0;
            }
        }
        return out;
    }

    /** Leaves a gap of {@code samples} in the timestamps (the output skipped ahead after a stall). */
    void skip(long samples) {
        samplesSent += samples;
    }

    private void sendFrame(List<MediaPacket> out) {
        Av.check(av_frame_make_writable(frame), "making the audio frame writable");
        for (int c = 0; c < channels; c++) {
            new FloatPointer(frame.data(c)).put(pending[c], 0, frameSize);
        }
        frame.pts(samplesSent);
        samplesSent += frameSize;
        Av.check(avcodec_send_frame(ctx, frame), "encoding AAC");
        while (true) {
            int r = avcodec_receive_packet(ctx, packet);
            if (r == Av.EAGAIN) break;
            Av.check(r, "receiving an AAC packet");
            byte[] data = new byte[packet.size()];
            packet.data().get(data);
            long pts = (packet.pts() + ctx.initial_padding()) * 1_000_000L / sampleRate;
            out.add(new MediaPacket(MediaPacket.Track.AUDIO, MediaPacket.Codec.AAC, pts, pts, true, false, data));
            av_packet_unref(packet);
        }
    }

    @Override
    public void close() {
        if (ctx != null) avcodec_free_context(ctx);
        ctx = null;
        if (frame != null) av_frame_free(frame);
        frame = null;
        if (packet != null) av_packet_free(packet);
        packet = null;
    }
}
