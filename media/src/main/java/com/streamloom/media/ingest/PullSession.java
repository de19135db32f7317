package com.streamloom.media.ingest;

import com.streamloom.media.codec.FfmpegError;
import com.streamloom.media.codec.FfmpegLog;
import com.streamloom.media.net.OutboundAddress;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.spec.SpecException;
import com.streamloom.spec.UrlHost;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.PointerPointer;

import java.net.InetAddress;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_network_init;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

/**
 * One libavformat connection of a pull: open the URL with its protocol's options, identify the streams, read until
 * the stream ends, fails or the pull stops, close. Every call runs under the pull's {@link IoDeadline}; the protocol
 * timeouts ({@code timeout} for RTSP, {@code rw_timeout} for RTMP, both in microseconds) are set as well so FFmpeg
 * reports the cause itself where it can. A failure is a {@link PullFailure} whose message says why in words: the
 * FFmpeg log line of this call if there is one (an RTMP server's refusal, a host that does not resolve), else the
 * error code's text.
 */
final class PullSession {
    static {
        avformat_network_init();
    }

    private final String url;
    private final PullSettings settings;
    private final IoDeadline deadline;
    private final BooleanSupplier stopped;

    PullSession(String url, PullSettings settings, IoDeadline deadline, BooleanSupplier stopped) {
        this.url = url;
        this.settings = settings;
        this.deadline = deadline;
        this.stopped = stopped;
    }

    /** Runs the connection; returns when the stream ended or the pull stopped, throws when it failed. */
    void run(PacketConverter converter, Consumer<MediaPacket> out) throws PullFailure {
        AVPacket pkt = null;
        try (FfmpegLog.Capture log = FfmpegLog.capture()) {
            AVFormatContext ctx = open(log);
            try {
                converter.selectTracks(ctx);
                pkt = av_packet_alloc();
                while (!stopped.getAsBoolean()) {
                    log.clear();
                    deadline.start(settings.readTimeout(), "reading");
                    int ret = av_read_frame(ctx, pkt);
                    if (ret == AVERROR_EOF) {
                        return;
                    }
                    if (ret < 0) {
                        throw new PullFailure(describe(ret, log));
                    }
                    try {
                        converter.convert(ctx, pkt, out);
                    } finally {
                        av_packet_unref(pkt);
                    }
                }
            } finally {
                deadline.clear();
                avformat_close_input(ctx);
            }
        } finally {
            deadline.clear();
            if (pkt != null) {
                av_packet_free(pkt);
            }
        }
    }

    /**
     * Opens the URL and identifies its streams, under the deadline, with the protocol options; the caller closes the
     * context ({@code avformat_close_input}).
     */
    AVFormatContext open(FfmpegLog.Capture log) throws PullFailure {
        String target = checkedUrl();
        AVFormatContext ctx = avformat_alloc_context();
        if (ctx == null || ctx.isNull()) {
            throw new PullFailure("out of memory allocating a format context");
        }
        deadline.attach(ctx);
        AVDictionary options = options();
        try {
            deadline.start(settings.connectTimeout(), "connecting");
            int ret = avformat_open_input(ctx, target, null, options);
            if (ret < 0) {
                ctx = null; // avformat_open_input frees a user-supplied context on failure
                throw new PullFailure(describe(ret, log));
            }
            deadline.start(settings.connectTimeout(), "probing streams");
            ret = avformat_find_stream_info(ctx, (PointerPointer<?>) null);
            if (ret < 0) {
                throw new PullFailure(describe(ret, log));
            }
            AVFormatContext opened = ctx;
            ctx = null;
            return opened;
        } finally {
            av_dict_free(options);
            if (ctx != null) {
                deadline.clear();
                avformat_close_input(ctx);
            }
        }
    }

    /**
     * The URL with its host replaced by the one address that passed the node's outbound rules: FFmpeg then connects
     * there and resolves nothing itself. Every address of the name is checked first; any denied one refuses the pull
     * before a connection is tried.
     */
    private String checkedUrl() throws PullFailure {
        try {
            InetAddress address = OutboundAddress.resolve(settings.outbound(), "source.url", UrlHost.of(url));
            return UrlHost.with(url, address.getHostAddress());
        } catch (SpecException e) {
            throw new PullFailure("not connecting: " + e.getMessage());
        }
    }

    private AVDictionary options() {
        AVDictionary options = new AVDictionary(null);
        // Only the protocols this URL's scheme needs: a server cannot lead the pull to files or other protocols.
        av_dict_set(options, "protocol_whitelist", ProtocolWhitelist.forUrl(url), 0);
        long connectMicros = settings.connectTimeout().toNanos() / 1000;
        if (url.startsWith("rtsp")) {
            av_dict_set(options, "rtsp_transport", settings.rtspTransport(), 0);
            av_dict_set(options, "timeout", Long.toString(connectMicros), 0); // socket I/O, microseconds
            if ("udp".equals(settings.rtspTransport())) {
                // Keyframes arrive as bursts of datagrams; the default socket buffer loses some of them.
                av_dict_set(options, "buffer_size", Integer.toString(2 * 1024 * 1024), 0);
            }
        } else {
            // For the rtmp protocol "timeout" means "listen for a publisher"; rw_timeout is the I/O timeout.
            av_dict_set(options, "rw_timeout", Long.toString(connectMicros), 0);
        }
        av_dict_set(options, "fflags", "nobuffer", 0);
        av_dict_set(options, "probesize", Integer.toString(settings.probeSize()), 0);
        av_dict_set(options, "analyzeduration", Long.toString(settings.analyzeDuration().toNanos() / 1000), 0);
        return options;
    }

    /** Why the call failed, in words: its FFmpeg log line, else the code's text; a passed deadline says so first. */
    private String describe(int ret, FfmpegLog.Capture log) {
        String logged = log.reason();
        String reason = logged != null ? logged : FfmpegError.text(ret);
        // Our deadline starts before FFmpeg's own socket timer of the same length, so whichever of the two fired,
        // a passed deadline means the peer was silent for the whole timeout.
        if (deadline.passed()) {
            return "timed out after " + deadline.timeout().toMillis() + " ms while " + deadline.phase()
                    + (ret == AVERROR_EXIT ? "" : " (" + reason + ")");
        }
        return deadline.phase() + " failed: " + reason;
    }
}
