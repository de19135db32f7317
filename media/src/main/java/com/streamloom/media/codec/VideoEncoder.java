package com.streamloom.media.codec;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.spec.EncodingSpec;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
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
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;

/**
 * Encodes I420 {@link VideoFrame}s to H.264 with libx264 for live output: the preset and bitrate of the stream's
 * {@link EncodingSpec}, {@code tune=zerolatency} (no lookahead, no frame threads: a frame in is a packet out), no
 * B-frames (pts = dts, which HLS and RTMP forwarding both like), and VBV capped at the bitrate so segments stay
 * within the advertised bandwidth.
 *
 * <p>Output follows the {@link MediaPacket} contract: a config packet with the avcC record (built from the SPS and
 * PPS that AV_CODEC_FLAG_GLOBAL_HEADER puts in extradata, so in-band headers are not repeated), then AVCC access
 * units with the keyframe flag. libx264 writes Annex B; it is converted here, once.
 *
 * <p>Keyframes: a {@link KeyframePolicy} is asked for every frame (HLS segment boundaries); {@link #forceKeyframe()}
 * forces one on the next frame (a new publisher). A frame of another size drains and reopens the encoder, which
 * emits a new config packet. Not thread-safe: one stream thread owns it.
 */
public final class VideoEncoder implements AutoCloseable {
    private final EncodingSpec spec;
    private final KeyframePolicy keyframes;
    private final double fpsHint;
    private final AVPacket packet = av_packet_alloc();
    private AVCodecContext ctx;
    private int width;
    private int height;
    private boolean forceNext;
    private long lastPts = Long.MIN_VALUE;
    private long framesEncoded;
    private long packetsOut;
    private long keyframesOut;
    private long opens;
    private long droppedNonMonotonic;

    /**
     * @param spec      preset and bitrate (validated spec; null fields take the defaults)
     * @param keyframes where IDR frames must be
     * @param fpsHint   expected frame rate, for rate control and the stream's VUI timing (timestamps rule anyway)
     */
    public VideoEncoder(EncodingSpec spec, KeyframePolicy keyframes, double fpsHint) {
        this.spec = spec == null ? EncodingSpec.defaults() : spec;
        this.keyframes = keyframes == null ? KeyframePolicy.none() : keyframes;
        this.fpsHint = fpsHint > 0 ? fpsHint : 30;
    }

    /** Makes the next frame an IDR frame. */
    public void forceKeyframe() {
        forceNext = true;
    }

    /** The keyframe policy this encoder asks; reset it when the source restarts. */
    public KeyframePolicy keyframePolicy() {
        return keyframes;
    }

    /**
     * Encodes one frame (the caller keeps ownership of it) and hands the packets it completes to {@code out}; after
     * an open or reopen the config packet comes first.
     */
    public void encode(VideoFrame frame, Consumer<MediaPacket> out) {
        if (ctx != null && (frame.width() != width || frame.height() != height)) {
            drain(out);
            closeContext();
        }
        if (ctx == null) {
            open(frame.width(), frame.height(), frame.ptsMicros(), out);
        }
        long pts = frame.ptsMicros();
        if (pts <= lastPts) {
            // x264 refuses non-increasing timestamps ("non-strictly-monotonic PTS"); a duplicate frame is dropped.
            droppedNonMonotonic++;
            return;
        }
        lastPts = pts;
        AVFrame f = frame.avFrame();
        boolean key = keyframes.forceKeyframe(pts) | forceNext;
        forceNext = false;
        f.pts(pts);
        f.pict_type(key ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        int ret = avcodec_send_frame(ctx, f);
        f.pict_type(AV_PICTURE_TYPE_NONE);
        FfmpegError.check(ret, "avcodec_send_frame");
        framesEncoded++;
        receivePackets(out);
    }

    /** Emits the packets still inside the encoder (none with zerolatency, but a preset change may add delay). */
    public void flush(Consumer<MediaPacket> out) {
        if (ctx != null) {
            drain(out);
            closeContext();          // an encoder takes no frames after EOF; the next frame reopens it
        }
    }

    private void drain(Consumer<MediaPacket> out) {
        avcodec_send_frame(ctx, null);
        receivePackets(out);
    }

    private void open(int w, int h, long firstPts, Consumer<MediaPacket> out) {
        AVCodec x264 = avcodec_find_encoder_by_name("libx264");
        if (x264 == null) {
            throw new CodecException("this FFmpeg build has no libx264 (the -gpl natives are required)");
        }
        AVCodecContext c = avcodec_alloc_context3(x264);
        try {
            c.width(w);
            c.height(h);
            c.pix_fmt(AV_PIX_FMT_YUV420P);
            c.time_base(Ffmpeg.MICROSECONDS);
            int fpsNum = (int) Math.round(fpsHint * 1000);
            c.framerate(av_make_q(fpsNum, 1000));
            long bps = spec.bitrateKbps() == null ? 2_500_000L : spec.bitrateKbps() * 1000L;
            c.bit_rate(bps);
            c.rc_max_rate(bps);
            c.rc_buffer_size((int) Math.min(Integer.MAX_VALUE, bps));
            c.max_b_frames(0);
            // Natural GOP of 4 s: the keyframe policy adds the IDRs HLS needs; this caps recovery after loss.
            c.gop_size((int) Math.max(1, Math.round(fpsHint * 4)));
            c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            c.thread_count(0);
            av_opt_set(c.priv_data(), "preset", spec.preset() == null ? "veryfast" : spec.preset(), 0);
            av_opt_set(c.priv_data(), "tune", "zerolatency", 0);
            // A forced I picture becomes an IDR, not a recovery-point I frame: a segment must be decodable alone.
            av_opt_set(c.priv_data(), "forced-idr", "1", 0);
            FfmpegError.check(avcodec_open2(c, x264, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "avcodec_open2(libx264)");
        } catch (RuntimeException e) {
            avcodec_free_context(c);
            throw e;
        }
        ctx = c;
        width = w;
        height = h;
        lastPts = Long.MIN_VALUE;
        opens++;
        byte[] avcc = H264Bitstream.avcDecoderConfigurationRecord(Ffmpeg.extradata(c));
        out.accept(MediaPacket.videoConfig(MediaPacket.Codec.H264, firstPts, avcc));
    }

    private void receivePackets(Consumer<MediaPacket> out) {
        while (true) {
            int ret = avcodec_receive_packet(ctx, packet);
            if (ret == FfmpegError.EAGAIN || ret == AVERROR_EOF) {
                return;
            }
            FfmpegError.check(ret, "avcodec_receive_packet");
            try {
                boolean key = (packet.flags() & AV_PKT_FLAG_KEY) != 0;
                byte[] data = H264Bitstream.annexBToAvcc(Ffmpeg.bytes(packet));
                packetsOut++;
                if (key) {
                    keyframesOut++;
                }
                out.accept(new MediaPacket(MediaPacket.Track.VIDEO, MediaPacket.Codec.H264, packet.pts(), packet.dts(),
                        key, false, data));
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    public long framesEncoded() {
        return framesEncoded;
    }

    public long packetsOut() {
        return packetsOut;
    }

    public long keyframesOut() {
        return keyframesOut;
    }

    /** How many times an encoder was opened (1 + resolution changes and flushes that were followed by frames). */
    public long opens() {
        return opens;
    }

    /** Frames refused because their pts did not increase. */
    public long droppedNonMonotonic() {
        return droppedNonMonotonic;
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
        av_packet_free(packet);
    }
}
