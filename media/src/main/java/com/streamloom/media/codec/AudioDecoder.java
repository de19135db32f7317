package com.streamloom.media.codec;

import com.streamloom.media.packet.MediaPacket;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

/**
 * Decodes raw AAC {@link MediaPacket}s (after an AudioSpecificConfig config packet) to PCM frames with FFmpeg's
 * native AAC decoder. Frames are lent to the consumer for the duration of the call only (the decoder reuses one
 * AVFrame), with pts in microseconds. Corrupt packets are counted, never thrown. Not thread-safe.
 */
public final class AudioDecoder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AudioDecoder.class);

    private final AVPacket packet = av_packet_alloc();
    private final AVFrame frame = av_frame_alloc();
    private AVCodecContext ctx;
    private byte[] config;
    private long framesDecoded;
    private long corruptPackets;
    private long skippedPackets;

    /** Feeds one packet; every completed PCM frame is lent to {@code out} (do not keep or free it). */
    public void decode(MediaPacket p, Consumer<AVFrame> out) {
        if (!p.isAudio() || p.codec() != MediaPacket.Codec.AAC) {
            throw new IllegalArgumentException("not an AAC packet: " + p);
        }
        if (p.config()) {
            if (ctx == null || !Arrays.equals(config, p.data())) {
                if (ctx != null) {
                    drain(out);
                    avcodec_free_context(ctx);
                    ctx = null;
                }
                open(p.data());
            }
            return;
        }
        if (ctx == null) {
            skippedPackets++;
            return;
        }
        Ffmpeg.fill(packet, p.data());
        packet.pts(p.ptsMicros());
        packet.dts(p.dtsMicros());
        int ret = avcodec_send_packet(ctx, packet);
        av_packet_unref(packet);
        if (ret < 0) {
            corruptPackets++;
            LOG.debug("corrupt AAC packet {}: {}", p, FfmpegError.text(ret));
        }
        receive(out);
    }

    /** Drains the decoder (end of source) and reopens it with the same config for a continuing source. */
    public void flush(Consumer<AVFrame> out) {
        if (ctx != null) {
            drain(out);
            avcodec_free_context(ctx);
            ctx = null;
            open(config);
        }
    }

    private void drain(Consumer<AVFrame> out) {
        avcodec_send_packet(ctx, null);
        receive(out);
    }

    private void open(byte[] asc) {
        try {
            ctx = Ffmpeg.openDecoder(AV_CODEC_ID_AAC, "AAC", asc, c -> { });
        } catch (CodecException e) {
            corruptPackets++;
            LOG.warn(e.getMessage());
            return;
        }
        config = asc.clone();
    }

    private void receive(Consumer<AVFrame> out) {
        while (true) {
            int ret = avcodec_receive_frame(ctx, frame);
            if (ret == FfmpegError.EAGAIN || ret == AVERROR_EOF) {
                return;
            }
            if (ret < 0) {
                corruptPackets++;
                return;
            }
            try {
                long pts = frame.best_effort_timestamp();
                frame.pts(pts == AV_NOPTS_VALUE ? frame.pts() : pts);
                framesDecoded++;
                out.accept(frame);
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    public long framesDecoded() {
        return framesDecoded;
    }

    public long corruptPackets() {
        return corruptPackets;
    }

    public long skippedPackets() {
        return skippedPackets;
    }

    @Override
    public void close() {
        if (ctx != null) {
            avcodec_free_context(ctx);
            ctx = null;
        }
        av_packet_free(packet);
        av_frame_free(frame);
    }
}
