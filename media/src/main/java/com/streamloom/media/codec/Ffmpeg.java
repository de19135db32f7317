package com.streamloom.media.codec;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** Small helpers shared by the codec classes: FFmpeg error text, and copying bytes in and out of native buffers. */
final class Ffmpeg {
    /** AVERROR(EAGAIN) on Linux: the codec wants the other call (send vs receive) first. */
    static final int EAGAIN = -11;
    /** AVCodecContext.thread_type bits (libavcodec/avcodec.h FF_THREAD_FRAME / FF_THREAD_SLICE). */
    static final int FF_THREAD_FRAME = 1;
    static final int FF_THREAD_SLICE = 2;
    /** The time base of every MediaPacket timestamp. */
    static final org.bytedeco.ffmpeg.avutil.AVRational MICROSECONDS = org.bytedeco.ffmpeg.global.avutil.av_make_q(1, 1_000_000);

    static {
        // libx264 and the AAC encoder log every open and close at INFO on stderr; keep warnings and errors unless
        // the application chose a level itself.
        if (org.bytedeco.ffmpeg.global.avutil.av_log_get_level() == org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO) {
            org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING);
        }
    }

    private Ffmpeg() {
    }

    static String errorText(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8) + " (" + code + ")";
    }

    /** Throws a {@link CodecException} naming {@code what} if {@code code} is an FFmpeg error. */
    static int check(int code, String what) {
        if (code < 0) {
            throw new CodecException(what + " failed: " + errorText(code));
        }
        return code;
    }

    /** Copies {@code data} into a fresh, padded packet buffer (decoders may read past the end: AV_INPUT_BUFFER_PADDING_SIZE). */
    static void fill(AVPacket packet, byte[] data) {
        check(av_new_packet(packet, data.length), "av_new_packet");
        packet.data().put(data, 0, data.length);
    }

    static byte[] bytes(AVPacket packet) {
        byte[] out = new byte[packet.size()];
        packet.data().get(out);
        return out;
    }

    /** Sets a codec context's extradata to a zero-padded av_malloc copy; the context frees it with itself. */
    static void setExtradata(AVCodecContext ctx, byte[] data) {
        BytePointer p = new BytePointer(av_malloc(data.length + AV_INPUT_BUFFER_PADDING_SIZE));
        if (p.isNull()) {
            throw new CodecException("out of memory for " + data.length + " bytes of extradata");
        }
        Pointer.memset(p, 0, data.length + AV_INPUT_BUFFER_PADDING_SIZE);
        p.put(data, 0, data.length);
        ctx.extradata(p);
        ctx.extradata_size(data.length);
    }

    static byte[] extradata(AVCodecContext ctx) {
        int n = ctx.extradata_size();
        if (n <= 0 || ctx.extradata() == null || ctx.extradata().isNull()) {
            return new byte[0];
        }
        byte[] out = new byte[n];
        ctx.extradata().get(out);
        return out;
    }
}
