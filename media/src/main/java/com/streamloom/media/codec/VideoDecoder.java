package com.streamloom.media.codec;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.packet.MediaPacket;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_LOW_DELAY;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale_frame;

/**
 * Decodes H.264 or HEVC {@link MediaPacket}s (AVCC payloads after an avcC/hvcC config packet) into I420
 * {@link VideoFrame}s with FFmpeg's libavcodec, called directly for control over threading and delay.
 *
 * <ul>
 *   <li>Low delay: {@code AV_CODEC_FLAG_LOW_DELAY} and slice threads by default. Frame threading adds one frame
 *       of delay per extra thread (libavcodec/pthread_frame.c), which {@code DecoderLatencyTest} measures.</li>
 *   <li>A config packet that differs from the current one (a publisher reconnected, the resolution changed)
 *       drains the old decoder and opens a new one; media before the first keyframe after an open is skipped, so
 *       no half-decoded garbage reaches the stages.</li>
 *   <li>Corrupt packets are counted ({@link #corruptPackets()}), never thrown: one bad packet must not end the
 *       stream. Only programming errors and out-of-memory escape.</li>
 *   <li>Decoders that output anything but 8-bit 4:2:0 limited range (yuvj420p from cameras, 10-bit, 4:2:2) are
 *       converted once here with swscale, so every stage sees one format.</li>
 *   <li>A picture larger than the {@link PictureLimit} is refused from its config record's SPS, before a decoder
 *       is opened for it; its media is skipped and {@link #refusal()} says why until a config that fits arrives.
 *       A new SPS inside the stream (a size changed in-band, without a new config record) is read and judged the
 *       same way: over the limit, the decoder is drained and closed, and media is skipped until a config record
 *       arrives (the same one again is reopened, its refusal kept until a picture that fits is decoded).
 *       libavcodec's own {@code max_pixels} and a check of each decoded picture catch an SPS we cannot read.</li>
 * </ul>
 * Not thread-safe: one stream thread owns it.
 */
public final class VideoDecoder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VideoDecoder.class);

    /** How libavcodec spreads decoding over threads. */
    public enum Threading {
        /** Slices of one picture in parallel: no added delay (helps only when the encoder wrote several slices). */
        SLICE,
        /**
         * Whole pictures in parallel, without AV_CODEC_FLAG_LOW_DELAY: more throughput, (threads - 1) frames more
         * delay. For offline work only.
         */
        FRAME
    }

    /** Decoder options: the threading model and the thread count (0 lets FFmpeg pick). */
    public record Options(Threading threading, int threads) {
        public static Options lowLatency() {
            return new Options(Threading.SLICE, 2);
        }
    }

    private final Options options;
    private final PictureLimit limit;
    private final AVPacket packet = av_packet_alloc();
    private final AVFrame decoded = av_frame_alloc();
    private AVCodecContext ctx;
    private MediaPacket.Codec codec;
    private byte[] config;
    /** The open config record's NAL length size, for reading in-band SPSs; 0 when the record did not say. */
    private int nalLengthSize;
    /** The refusal came from an SPS inside the stream, not from the config record. */
    private boolean refusedInBand;
    private SwsContext sws;
    private boolean awaitingKeyframe = true;
    private long framesDecoded;
    private long corruptPackets;
    private long skippedPackets;
    private long opens;
    private long refusedPictures;
    private volatile String refusal;

    public VideoDecoder() {
        this(Options.lowLatency());
    }

    public VideoDecoder(Options options) {
        this(options, PictureLimit.DEFAULT);
    }

    public VideoDecoder(Options options, PictureLimit limit) {
        this.options = options;
        this.limit = limit;
    }

    /**
     * Feeds one packet (config or media) and hands every frame it completes to {@code out}, which takes ownership.
     * A config packet that changes the stream first drains the old decoder into {@code out}.
     */
    public void decode(MediaPacket p, Consumer<VideoFrame> out) {
        if (!p.isVideo()) {
            throw new IllegalArgumentException("not a video packet: " + p);
        }
        if (p.config()) {
            configure(p, out);
            return;
        }
        if (ctx == null || p.codec() != codec) {
            skippedPackets++;          // nothing can decode AVCC before its config record
            return;
        }
        if (awaitingKeyframe) {
            if (!p.keyframe()) {
                skippedPackets++;
                return;
            }
            awaitingKeyframe = false;
        }
        if (refusesInBand(p, out)) {
            return;
        }
        Ffmpeg.fill(packet, p.data());
        packet.pts(p.ptsMicros());
        packet.dts(p.dtsMicros());
        packet.flags(p.keyframe() ? AV_PKT_FLAG_KEY : 0);
        int ret = avcodec_send_packet(ctx, packet);
        av_packet_unref(packet);
        if (ret == FfmpegError.EAGAIN) {
            // Cannot happen with the send/receive loop below (we always drain), but must not lose the packet
            // silently if it does.
            corruptPackets++;
        } else if (ret < 0) {
            corruptPackets++;
            LOG.debug("corrupt video packet {}: {}", p, FfmpegError.text(ret));
        }
        receiveFrames(out);
    }

    /** Drains the frames still inside the decoder (end of source) and leaves it ready for the next packet. */
    public void flush(Consumer<VideoFrame> out) {
        if (ctx == null) {
            return;
        }
        avcodec_send_packet(ctx, null);
        receiveFrames(out);
        // After EOF a decoder accepts no more packets; reopen with the same config so a continuing source works.
        byte[] cfg = config;
        MediaPacket.Codec c = codec;
        closeContext();
        open(c, cfg);
    }

    private void configure(MediaPacket p, Consumer<VideoFrame> out) {
        boolean same = p.codec() == codec && Arrays.equals(p.data(), config);
        if (same && (ctx != null || refusal != null && !refusedInBand)) {
            return;                    // RTMP repeats the sequence header on reconnects and some encoders often
        }
        if (ctx != null) {
            avcodec_send_packet(ctx, null);
            receiveFrames(out);
            closeContext();
        }
        if (refuses(p.codec(), p.data())) {
            refusedInBand = false;
            return;
        }
        if (!(same && refusedInBand)) {
            // A new record that fits clears the refusal; the record that preceded an in-band refusal does not, or
            // an encoder that repeats its sequence header would make the status flicker.
            refusal = null;
            refusedInBand = false;
        }
        open(p.codec(), p.data());
    }

    /**
     * Whether the access unit carries an SPS (a size changed in-band) over the limit; if so, drains and closes the
     * decoder so nothing is decoded at that size. An SPS we cannot read is libavcodec's to judge (max_pixels).
     */
    private boolean refusesInBand(MediaPacket p, Consumer<VideoFrame> out) {
        if (nalLengthSize == 0) {
            return false;
        }
        PictureSize size;
        try {
            size = SpsPictureSize.inBand(codec, p.data(), nalLengthSize);
        } catch (IllegalArgumentException e) {
            LOG.debug("cannot read an in-band {} SPS: {}", codec, e.getMessage());
            return false;
        }
        if (size == null || limit.admits(size)) {
            return false;
        }
        skippedPackets++;
        avcodec_send_packet(ctx, null);
        receiveFrames(out);
        closeContext();
        refuse(size.toString());
        refusedInBand = true;
        return true;
    }

    /** Whether the record's SPS declares a picture over the limit; a record we cannot read is libavcodec's to judge. */
    private boolean refuses(MediaPacket.Codec c, byte[] record) {
        PictureSize size;
        try {
            size = SpsPictureSize.of(c, record);
        } catch (IllegalArgumentException e) {
            LOG.debug("cannot read the picture size of a {} config record: {}", c, e.getMessage());
            return false;
        }
        if (limit.admits(size)) {
            return false;
        }
        refuse(size.toString());
        codec = c;
        config = record.clone();
        return true;
    }

    private void refuse(String size) {
        refusedPictures++;
        String why = limit.refusal(size);
        if (!why.equals(refusal)) {
            LOG.warn(why);
        }
        refusal = why;
    }

    private void open(MediaPacket.Codec c, byte[] record) {
        int id = switch (c) {
            case H264 -> AV_CODEC_ID_H264;
            case HEVC -> AV_CODEC_ID_HEVC;
            default -> throw new IllegalArgumentException("not a video codec: " + c);
        };
        AVCodecContext context;
        try {
            context = Ffmpeg.openDecoder(id, c.name(), record, cx -> {
                if (options.threading() == Threading.FRAME) {
                    // Throughput mode (offline benchmarks): LOW_DELAY would make libavcodec refuse frame threads.
                    cx.thread_type(Ffmpeg.FF_THREAD_FRAME);
                } else {
                    cx.flags(cx.flags() | AV_CODEC_FLAG_LOW_DELAY);
                    cx.thread_type(Ffmpeg.FF_THREAD_SLICE);
                }
                cx.thread_count(options.threads());
                cx.max_pixels(limit.maxPixels()); // a size changed in-band, past the config record's check
            });
        } catch (CodecException e) {
            // A broken config record from a publisher: count it, keep skipping until a good one arrives.
            corruptPackets++;
            LOG.warn(e.getMessage());
            return;
        }
        ctx = context;
        codec = c;
        config = record.clone();
        try {
            nalLengthSize = SpsPictureSize.nalLengthSize(c, record);
        } catch (IllegalArgumentException e) {
            nalLengthSize = 0;         // libavcodec opened it; in-band SPSs are then left to max_pixels
        }
        awaitingKeyframe = true;
        opens++;
    }

    private void receiveFrames(Consumer<VideoFrame> out) {
        while (true) {
            int ret = avcodec_receive_frame(ctx, decoded);
            if (ret == FfmpegError.EAGAIN || ret == AVERROR_EOF) {
                return;
            }
            if (ret < 0) {
                corruptPackets++;
                LOG.debug("video decode error: {}", FfmpegError.text(ret));
                return;
            }
            long pts = decoded.best_effort_timestamp();
            if (pts == AV_NOPTS_VALUE) {
                pts = decoded.pts();
            }
            if (!limit.admits(decoded.width(), decoded.height())) {
                refuse(decoded.width() + "x" + decoded.height());
                av_frame_unref(decoded);
                continue;
            }
            if (refusedInBand) {
                refusal = null;        // the reopened stream decodes at a size that fits again
                refusedInBand = false;
            }
            VideoFrame frame;
            try {
                frame = toI420(decoded, pts);
            } finally {
                av_frame_unref(decoded);
            }
            framesDecoded++;
            out.accept(frame);
        }
    }

    /** Moves an I420 frame out of the decoder without copying, or converts any other format once. */
    private VideoFrame toI420(AVFrame src, long pts) {
        int w = src.width();
        int h = src.height();
        if (src.format() == AV_PIX_FMT_YUV420P && (w & 1) == 0 && (h & 1) == 0) {
            AVFrame owned = av_frame_alloc();
            org.bytedeco.ffmpeg.global.avutil.av_frame_move_ref(owned, src);
            return VideoFrame.adopt(owned, pts);
        }
        // Odd sizes lose their last row/column: I420 chroma needs even dimensions.
        VideoFrame dst = VideoFrame.allocate(Math.max(2, w & ~1), Math.max(2, h & ~1), pts);
        sws = sws_getCachedContext(sws, w, h, src.format(), dst.width(), dst.height(), AV_PIX_FMT_YUV420P,
                SWS_BILINEAR, null, null, (double[]) null);
        if (sws == null) {
            dst.close();
            throw new CodecException("swscale cannot convert pixel format " + src.format() + " to yuv420p");
        }
        int ret = sws_scale_frame(sws, dst.avFrame(), src);
        if (ret < 0) {
            dst.close();
            throw new CodecException("sws_scale_frame failed: " + FfmpegError.text(ret));
        }
        return dst;
    }

    public long framesDecoded() {
        return framesDecoded;
    }

    /** Packets the decoder rejected or could not decode, plus config records it could not open. */
    public long corruptPackets() {
        return corruptPackets;
    }

    /** Packets skipped while waiting for a config record or the first keyframe after one. */
    public long skippedPackets() {
        return skippedPackets;
    }

    /** How many times a decoder was opened (1 + reconnects and resolution changes, plus flushes). */
    public long opens() {
        return opens;
    }

    /** Config records and pictures refused for their size. */
    public long refusedPictures() {
        return refusedPictures;
    }

    /** Why the current source's pictures are refused, in words, or null while they fit. Any thread. */
    public String refusal() {
        return refusal;
    }

    public boolean isOpen() {
        return ctx != null;
    }

    private void closeContext() {
        if (ctx != null) {
            avcodec_free_context(ctx);
            ctx = null;
        }
    }

    @Override
    public void close() {
        closeContext();
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        av_packet_free(packet);
        av_frame_free(decoded);
    }
}
