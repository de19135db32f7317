package com.streamloom.media.codec;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

/** Small helpers shared by the codec classes: opening decoders, and copying bytes in and out of native buffers. */
final class Ffmpeg {
    /** AVCodecContext.thread_type bits (libavcodec/avcodec.h FF_THREAD_FRAME / FF_THREAD_SLICE). */
    static final int FF_THREAD_FRAME = 1;
    static final int FF_THREAD_SLICE = 2;
    /** The time base of every MediaPacket timestamp. */
    static final org.bytedeco.ffmpeg.avutil.AVRational MICROSECONDS = org.bytedeco.ffmpeg.global.avutil.av_make_q(1, 1_000_000);

    static {
        FfmpegLog.install(); // FFmpeg's log through SLF4J, at WARNING unless the application chose a level
    }

    private Ffmpeg() {
    }

    /** Copies {@code data} into a fresh, padded packet buffer (decoders may read past the end: AV_INPUT_BUFFER_PADDING_SIZE). */
    static void fill(AVPacket packet, byte[] data) {
        FfmpegError.check(av_new_packet(packet, data.length), "av_new_packet");
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

    /**
     * Opens FFmpeg's decoder for {@code codecId} ({@code name} in messages) with {@code config} (avcC, hvcC or
     * AudioSpecificConfig) as extradata and microsecond packet timestamps; {@code tune} sets further options first.
     * A config the decoder refuses (a publisher's broken record) is a {@link CodecException}, the context freed: the
     * caller counts it and waits for a good one. A build without the decoder is an {@link IllegalStateException}.
     */
    static AVCodecContext openDecoder(int codecId, String name, byte[] config,
                                      java.util.function.Consumer<AVCodecContext> tune) {
        AVCodec dec = avcodec_find_decoder(codecId);
        if (dec == null) {
            throw new IllegalStateException("FFmpeg has no decoder for " + name);
        }
        AVCodecContext context = avcodec_alloc_context3(dec);
        try {
            setExtradata(context, config);
            context.pkt_timebase(MICROSECONDS);
            tune.accept(context);
            int ret = avcodec_open2(context, dec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null);
            if (ret < 0) {
                throw new CodecException("cannot open " + name + " decoder with a " + config.length + "-byte config: "
                        + FfmpegError.text(ret));
            }
            return context;
        } catch (RuntimeException e) {
            avcodec_free_context(context);
            throw e;
        }
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
