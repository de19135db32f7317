package com.streamloom.media.codec;

import com.streamloom.media.packet.MediaPacket;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swresample.SwrContext;

import java.util.Set;
import java.util.function.Consumer;

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
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_free;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_read;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_size;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_write;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert_frame;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

/**
 * Encodes PCM frames to AAC-LC with FFmpeg's native {@code aac} encoder. Input of any sample format, rate and
 * channel count is resampled (swresample) to planar float at the nearest AAC sampling rate, mono or stereo, and
 * re-cut into the encoder's 1024-sample frames through an AVAudioFifo (HE-AAC sources decode to 2048-sample
 * frames). Output: an AudioSpecificConfig config packet (AV_CODEC_FLAG_GLOBAL_HEADER), then raw AAC packets with
 * microsecond timestamps that continue the input's clock. Not thread-safe.
 */
public final class AudioEncoder implements AutoCloseable {
    /** Sampling rates with an AAC sampling_frequency_index (ISO/IEC 14496-3 1.6.3.4). */
    private static final Set<Integer> AAC_RATES =
            Set.of(96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000);

    private final int bitrate;
    private final AVPacket packet = av_packet_alloc();
    private AVCodecContext ctx;
    private SwrContext swr;
    private AVAudioFifo fifo;
    private AVFrame converted;
    private AVFrame chunk;
    private AVRational sampleTimeBase;
    private int inRate;
    private int inChannels;
    private int inFormat;
    private long nextSamplePts = Long.MIN_VALUE;
    private long packetsOut;

    public AudioEncoder(int bitrate) {
        this.bitrate = bitrate;
    }

    /** Encodes one PCM frame (the caller keeps it); pts in microseconds. */
    public void encode(AVFrame in, Consumer<MediaPacket> out) {
        if (ctx != null && (in.sample_rate() != inRate || in.ch_layout().nb_channels() != inChannels
                || in.format() != inFormat)) {
            flush(out);
        }
        if (ctx == null) {
            open(in, out);
        }
        if (nextSamplePts == Long.MIN_VALUE) {
            nextSamplePts = av_rescale_q(in.pts(), Ffmpeg.MICROSECONDS, sampleTimeBase);
        }
        av_frame_unref(converted);
        converted.format(AV_SAMPLE_FMT_FLTP);
        converted.sample_rate(ctx.sample_rate());
        org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy(converted.ch_layout(), ctx.ch_layout());
        FfmpegError.check(swr_convert_frame(swr, converted, in), "swr_convert_frame");
        if (converted.nb_samples() > 0) {
            FfmpegError.check(av_audio_fifo_write(fifo, converted.extended_data(), converted.nb_samples()),
                    "av_audio_fifo_write");
        }
        sendChunks(out, false);
    }

    /** Encodes what is buffered (end of source) and closes the encoder; the next frame opens a new one. */
    public void flush(Consumer<MediaPacket> out) {
        if (ctx == null) {
            return;
        }
        sendChunks(out, true);
        avcodec_send_frame(ctx, null);
        receive(out);
        release();
    }

    private void sendChunks(Consumer<MediaPacket> out, boolean all) {
        int frameSize = ctx.frame_size();
        while (av_audio_fifo_size(fifo) >= frameSize || (all && av_audio_fifo_size(fifo) > 0)) {
            int n = Math.min(frameSize, av_audio_fifo_size(fifo));
            av_frame_unref(chunk);
            chunk.format(AV_SAMPLE_FMT_FLTP);
            chunk.sample_rate(ctx.sample_rate());
            chunk.nb_samples(n);
            org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy(chunk.ch_layout(), ctx.ch_layout());
            FfmpegError.check(av_frame_get_buffer(chunk, 0), "av_frame_get_buffer(audio)");
            av_audio_fifo_read(fifo, chunk.extended_data(), n);
            chunk.pts(nextSamplePts);
            nextSamplePts += n;
            FfmpegError.check(avcodec_send_frame(ctx, chunk), "avcodec_send_frame(aac)");
            receive(out);
        }
    }

    private void open(AVFrame in, Consumer<MediaPacket> out) {
        AVCodec aac = avcodec_find_encoder_by_name("aac");
        AVCodecContext c = avcodec_alloc_context3(aac);
        int rate = AAC_RATES.contains(in.sample_rate()) ? in.sample_rate() : 48000;
        int channels = Math.min(2, Math.max(1, in.ch_layout().nb_channels()));
        c.sample_rate(rate);
        c.sample_fmt(AV_SAMPLE_FMT_FLTP);
        av_channel_layout_default(c.ch_layout(), channels);
        c.bit_rate(bitrate);
        c.time_base(av_make_q(1, rate));
        c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        int ret = avcodec_open2(c, aac, (org.bytedeco.ffmpeg.avutil.AVDictionary) null);
        if (ret < 0) {
            avcodec_free_context(c);
            FfmpegError.check(ret, "avcodec_open2(aac)");
        }
        ctx = c;
        sampleTimeBase = av_make_q(1, rate);
        SwrContext s = new SwrContext(null);
        FfmpegError.check(swr_alloc_set_opts2(s, c.ch_layout(), AV_SAMPLE_FMT_FLTP, rate,
                in.ch_layout(), in.format(), in.sample_rate(), 0, null), "swr_alloc_set_opts2");
        swr = s;
        FfmpegError.check(swr_init(swr), "swr_init");
        fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, channels, c.frame_size() * 4);
        converted = av_frame_alloc();
        chunk = av_frame_alloc();
        inRate = in.sample_rate();
        inChannels = in.ch_layout().nb_channels();
        inFormat = in.format();
        nextSamplePts = Long.MIN_VALUE;
        out.accept(MediaPacket.audioConfig(in.pts(), Ffmpeg.extradata(c)));
    }

    private void receive(Consumer<MediaPacket> out) {
        while (true) {
            int ret = avcodec_receive_packet(ctx, packet);
            if (ret == FfmpegError.EAGAIN || ret == AVERROR_EOF) {
                return;
            }
            FfmpegError.check(ret, "avcodec_receive_packet(aac)");
            try {
                // The encoder's pts already subtracts its priming delay (initial_padding), so the samples stay
                // where they were on the source clock: that keeps A/V sync.
                long pts = av_rescale_q(packet.pts(), sampleTimeBase, Ffmpeg.MICROSECONDS);
                long dts = av_rescale_q(packet.dts(), sampleTimeBase, Ffmpeg.MICROSECONDS);
                packetsOut++;
                out.accept(new MediaPacket(MediaPacket.Track.AUDIO, MediaPacket.Codec.AAC, pts, dts, true, false,
                        Ffmpeg.bytes(packet)));
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    public long packetsOut() {
        return packetsOut;
    }

    private void release() {
        if (ctx != null) {
            avcodec_free_context(ctx);
            ctx = null;
        }
        if (swr != null) {
            swr_free(swr);
            swr = null;
        }
        if (fifo != null) {
            av_audio_fifo_free(fifo);
            fifo = null;
        }
        if (converted != null) {
            av_frame_free(converted);
            converted = null;
        }
        if (chunk != null) {
            av_frame_free(chunk);
            chunk = null;
        }
        nextSamplePts = Long.MIN_VALUE;
    }

    @Override
    public void close() {
        release();
        av_packet_free(packet);
    }
}
