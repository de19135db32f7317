package com.streamloom.media.ingest;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;
import com.streamloom.spec.SourceSpec;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_NEW_EXTRADATA;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_get_side_data;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_network_init;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/**
 * Pulls a stream from an RTSP camera (TCP or UDP transport) or an RTMP origin through libavformat and delivers it to
 * a {@link MediaSink} as MediaPackets: H.264 in AVCC with avcC config packets, AAC raw with AudioSpecificConfig.
 *
 * <p>One daemon thread per source does everything: connect, read, reconnect. No FFmpeg call can block it for longer
 * than the configured timeout because an interrupt callback (AVIOInterruptCB, polled by every FFmpeg protocol while
 * it waits) aborts the call when its deadline passes or the source is stopped; the protocol timeouts
 * ({@code timeout} for RTSP, {@code rw_timeout} for RTMP, both in microseconds) are set as well so FFmpeg reports
 * the cause itself where it can.
 *
 * <p>Every connection is a session: its timestamps are rebased to continue after the previous session's (plus the
 * wall-clock gap), and it ends with {@link MediaSink#end(String)} before the next one starts, so downstream sees one
 * monotonic clock with marked discontinuities.
 */
public final class PullSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PullSource.class);

    public enum State { CONNECTING, LIVE, RECONNECTING, STOPPED }

    /**
     * @param connectTimeout  how long opening the URL (connect, RTSP DESCRIBE/SETUP/PLAY, RTMP handshake) and probing
     *                        the streams may take
     * @param readTimeout     longest silence while live before the connection is declared dead
     * @param rtspTransport   tcp (interleaved in the RTSP connection) or udp; ignored for RTMP
     * @param initialBackoff  first delay before reconnecting; doubles per failed attempt
     * @param maxBackoff      upper bound of the reconnect delay
     * @param healthyAfter    a session that delivered media this long resets the back-off
     * @param probeSize       bytes libavformat may read to identify the streams; small for low start-up latency
     * @param analyzeDuration media time libavformat may read to identify the streams
     */
    public record Settings(Duration connectTimeout, Duration readTimeout, String rtspTransport,
                           Duration initialBackoff, Duration maxBackoff, Duration healthyAfter, int probeSize,
                           Duration analyzeDuration) {
        public Settings {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(readTimeout, "readTimeout");
            if (connectTimeout.toMillis() < 100 || readTimeout.toMillis() < 100) {
                throw new IllegalArgumentException("timeouts must be at least 100 ms");
            }
            if (!"tcp".equals(rtspTransport) && !"udp".equals(rtspTransport)) {
                throw new IllegalArgumentException("rtspTransport must be tcp or udp, got " + rtspTransport);
            }
            new ReconnectBackoff(initialBackoff, maxBackoff, () -> 0); // validates the pair
            if (probeSize < 32) {
                throw new IllegalArgumentException("probeSize must be at least 32 bytes");
            }
        }

        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5), Duration.ofSeconds(5), "tcp", Duration.ofMillis(500),
                    Duration.ofSeconds(10), Duration.ofSeconds(60), 64 * 1024, Duration.ofMillis(500));
        }

        /** Settings for a pull source of a stream spec: its transport and its timeout for connect and read. */
        public static Settings of(SourceSpec source) {
            Settings d = defaults();
            Duration timeout = source.timeoutMs() == null ? d.connectTimeout : Duration.ofMillis(source.timeoutMs());
            String transport = source.transport() == null ? "tcp" : source.transport();
            return d.withTimeouts(timeout, timeout).withRtspTransport(transport);
        }

        public Settings withTimeouts(Duration connect, Duration read) {
            return new Settings(connect, read, rtspTransport, initialBackoff, maxBackoff, healthyAfter, probeSize,
                    analyzeDuration);
        }

        public Settings withRtspTransport(String transport) {
            return new Settings(connectTimeout, readTimeout, transport, initialBackoff, maxBackoff, healthyAfter,
                    probeSize, analyzeDuration);
        }

        public Settings withBackoff(Duration initial, Duration max) {
            return new Settings(connectTimeout, readTimeout, rtspTransport, initial, max, healthyAfter, probeSize,
                    analyzeDuration);
        }
    }

    /**
     * What status pages show.
     *
     * @param lastError  the reason the last connection failed or ended, or null if none has
     * @param sessions   connections that delivered media
     * @param packets    packets delivered to the sink in total
     */
    public record Status(State state, String lastError, long sessions, long packets) {
    }

    /** Thrown inside the worker for a failed session; its message is the status' lastError. */
    private static final class SessionFailure extends Exception {
        SessionFailure(String message) {
            super(message, null, false, false);
        }
    }

    private static final Map<Long, PullSource> BY_TOKEN = new ConcurrentHashMap<>();
    /**
     * One callback for all sources: JavaCPP has a small fixed number of native thunks per callback class, so the
     * source is found through the opaque pointer instead of allocating a callback per source.
     */
    private static final InterruptCallback INTERRUPT = new InterruptCallback();

    static {
        avformat_network_init();
    }

    private static final class InterruptCallback extends AVIOInterruptCB.Callback_Pointer {
        @Override
        public int call(Pointer opaque) {
            try {
                PullSource source = opaque == null ? null : BY_TOKEN.get(opaque.address());
                return source == null || source.shouldAbortIo() ? 1 : 0;
            } catch (Throwable t) {
                return 1; // never let an exception cross into native code
            }
        }
    }

    private final String name;
    private final String url;
    private final Settings settings;
    private final MediaSink sink;
    private final Thread worker;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopSignal = lock.newCondition();
    private final ReconnectBackoff backoff;
    private final Timeline timeline = new Timeline();

    private volatile boolean stopRequested;
    private volatile long ioDeadlineNanos = Long.MAX_VALUE;
    private volatile String ioPhase = "connecting";
    private volatile State state = State.CONNECTING;
    private volatile String lastError;
    private volatile long sessions;
    private volatile long packets;

    /**
     * @param name a short name for logs and the thread name (never a URL with credentials)
     * @param url  rtsp://, rtsps://, rtmp:// or rtmps://
     */
    public PullSource(String name, String url, Settings settings, MediaSink sink) {
        this.name = Objects.requireNonNull(name, "name");
        this.url = Objects.requireNonNull(url, "url");
        if (!(url.startsWith("rtsp://") || url.startsWith("rtsps://") || url.startsWith("rtmp://")
                || url.startsWith("rtmps://"))) {
            throw new IllegalArgumentException("pull URL must be rtsp://, rtsps://, rtmp:// or rtmps://");
        }
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.backoff = new ReconnectBackoff(settings.initialBackoff(), settings.maxBackoff(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.worker = new Thread(this::run, "pull-" + name);
        this.worker.setDaemon(true);
    }

    /** Starts the worker thread; a source starts once. */
    public PullSource start() {
        worker.start();
        return this;
    }

    public State state() {
        return state;
    }

    public String lastError() {
        return lastError;
    }

    public Status status() {
        return new Status(state, lastError, sessions, packets);
    }

    /**
     * Stops pulling: aborts any blocked FFmpeg call through the interrupt callback and waits up to a second for the
     * worker to close the connection. Safe to call more than once and from the sink's own callbacks.
     */
    public void stop() {
        stopRequested = true;
        lock.lock();
        try {
            stopSignal.signalAll();
        } finally {
            lock.unlock();
        }
        if (worker.getState() == Thread.State.NEW) {
            state = State.STOPPED; // never started: nothing to close
        }
        if (Thread.currentThread() != worker && worker.isAlive()) {
            try {
                worker.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (worker.isAlive()) {
                LOG.warn("pull {}: worker still closing the connection after 1 s", name);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The worker thread, for tests that check it ends. */
    Thread worker() {
        return worker;
    }

    private boolean shouldAbortIo() {
        return stopRequested || System.nanoTime() - ioDeadlineNanos > 0;
    }

    private void run() {
        LongPointer token = new LongPointer(1);
        BY_TOKEN.put(token.address(), this);
        try {
            boolean first = true;
            while (!stopRequested) {
                state = first ? State.CONNECTING : State.RECONNECTING;
                first = false;
                Session session = new Session(token);
                timeline.newSession();
                String endReason;
                try {
                    session.run();
                    endReason = "stream ended";
                } catch (SessionFailure e) {
                    endReason = e.getMessage();
                } catch (RuntimeException e) {
                    LOG.error("pull {}: unexpected failure", name, e);
                    endReason = "internal error: " + e;
                }
                if (stopRequested) {
                    endReason = "stopped";
                } else {
                    lastError = endReason;
                    LOG.warn("pull {}: {}", name, endReason);
                }
                if (session.delivered > 0) {
                    endSink(endReason);
                }
                if (session.healthy()) {
                    backoff.reset();
                }
                if (!stopRequested) {
                    state = State.RECONNECTING;
                    awaitStop(backoff.next());
                }
            }
        } finally {
            state = State.STOPPED;
            BY_TOKEN.remove(token.address());
            token.close();
        }
    }

    private void endSink(String reason) {
        try {
            sink.end(reason);
        } catch (RuntimeException e) {
            LOG.error("pull {}: sink failed on end", name, e);
        }
    }

    private void awaitStop(Duration delay) {
        long remaining = delay.toNanos();
        lock.lock();
        try {
            while (!stopRequested && remaining > 0) {
                remaining = stopSignal.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            stopRequested = true;
        } finally {
            lock.unlock();
        }
    }

    private void setDeadline(Duration timeout, String phase) {
        ioPhase = phase;
        ioDeadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    private String describeError(int ret) {
        byte[] buf = new byte[256];
        av_strerror(ret, buf, buf.length);
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        String ffmpegMessage = new String(buf, 0, len, java.nio.charset.StandardCharsets.UTF_8) + " (" + ret + ")";
        // Our deadline starts before FFmpeg's own socket timer of the same length, so whichever of the two fired,
        // a passed deadline means the peer was silent for the whole timeout.
        if (!stopRequested && System.nanoTime() - ioDeadlineNanos >= 0) {
            Duration t = ioPhase.equals("reading") ? settings.readTimeout() : settings.connectTimeout();
            return "timed out after " + t.toMillis() + " ms while " + ioPhase
                    + (ret == AVERROR_EXIT ? "" : " (" + ffmpegMessage + ")");
        }
        return ioPhase + " failed: " + ffmpegMessage;
    }

    /** One connection: open, identify the streams, read until error, close. */
    private final class Session {
        private final Pointer token;
        private final Map<Integer, Track> tracks = new HashMap<>();
        /** Out-parameter of av_packet_get_side_data, allocated once per session rather than per packet. */
        private final SizeTPointer sideDataSize = new SizeTPointer(1);
        private long delivered;
        private long firstDeliveryNanos;
        private long lastDeliveryNanos;

        Session(Pointer token) {
            this.token = token;
        }

        boolean healthy() {
            return delivered > 0 && lastDeliveryNanos - firstDeliveryNanos >= settings.healthyAfter().toNanos();
        }

        void run() throws SessionFailure {
            AVFormatContext ctx = avformat_alloc_context();
            if (ctx == null || ctx.isNull()) {
                sideDataSize.close();
                throw new SessionFailure("out of memory allocating a format context");
            }
            AVIOInterruptCB cb = ctx.interrupt_callback();
            cb.callback(INTERRUPT);
            cb.opaque(token);
            AVDictionary options = new AVDictionary(null);
            boolean rtsp = url.startsWith("rtsp");
            long connectMicros = settings.connectTimeout().toNanos() / 1000;
            if (rtsp) {
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
            av_dict_set(options, "analyzeduration",
                    Long.toString(settings.analyzeDuration().toNanos() / 1000), 0);
            AVPacket pkt = null;
            try {
                setDeadline(settings.connectTimeout(), "connecting");
                int ret = avformat_open_input(ctx, url, null, options);
                if (ret < 0) {
                    ctx = null; // avformat_open_input frees a user-supplied context on failure
                    throw new SessionFailure(describeError(ret));
                }
                setDeadline(settings.connectTimeout(), "probing streams");
                ret = avformat_find_stream_info(ctx, (PointerPointer<?>) null);
                if (ret < 0) {
                    throw new SessionFailure(describeError(ret));
                }
                for (int i = 0; i < ctx.nb_streams(); i++) {
                    trackFor(ctx, i);
                }
                pkt = av_packet_alloc();
                while (!stopRequested) {
                    setDeadline(settings.readTimeout(), "reading");
                    ret = av_read_frame(ctx, pkt);
                    if (ret == AVERROR_EOF) {
                        return;
                    }
                    if (ret < 0) {
                        throw new SessionFailure(describeError(ret));
                    }
                    try {
                        handle(ctx, pkt);
                    } finally {
                        av_packet_unref(pkt);
                    }
                }
            } finally {
                ioDeadlineNanos = Long.MAX_VALUE;
                sideDataSize.close();
                if (pkt != null) {
                    av_packet_free(pkt);
                }
                av_dict_free(options);
                if (ctx != null) {
                    avformat_close_input(ctx);
                }
            }
        }

        private Track trackFor(AVFormatContext ctx, int index) throws SessionFailure {
            Track existing = tracks.get(index);
            if (existing != null) {
                return existing;
            }
            AVStream st = ctx.streams(index);
            AVCodecParameters par = st.codecpar();
            Track track = null;
            String codecName = avcodec_get_name(par.codec_id()).getString();
            boolean haveVideo = tracks.values().stream().anyMatch(t -> t.slot == 0);
            boolean haveAudio = tracks.values().stream().anyMatch(t -> t.slot == 1);
            if (par.codec_type() == AVMEDIA_TYPE_VIDEO && !haveVideo) {
                if (par.codec_id() != AV_CODEC_ID_H264) {
                    throw new SessionFailure("video codec " + codecName + " is not supported (H.264 only)");
                }
                track = new Track(0, st.time_base(), new H264PacketNormalizer(extradata(par)), null);
            } else if (par.codec_type() == AVMEDIA_TYPE_AUDIO && !haveAudio) {
                if (par.codec_id() == AV_CODEC_ID_AAC && par.extradata_size() > 0) {
                    track = new Track(1, st.time_base(), null, extradata(par));
                } else {
                    LOG.warn("pull {}: ignoring audio {} (AAC with AudioSpecificConfig only)", name, codecName);
                }
            }
            if (track == null) {
                st.discard(AVDISCARD_ALL);
                track = Track.IGNORED;
            }
            tracks.put(index, track);
            return track;
        }

        private void handle(AVFormatContext ctx, AVPacket pkt) throws SessionFailure {
            Track track = trackFor(ctx, pkt.stream_index());
            if (track == Track.IGNORED || pkt.size() <= 0) {
                return;
            }
            byte[] newExtradata = newExtradata(pkt, sideDataSize);
            long pts = toMicros(pkt.pts(), track);
            long dts = toMicros(pkt.dts(), track);
            long[] times = timeline.map(track.slot, pts, dts);
            byte[] data = new byte[pkt.size()];
            pkt.data().get(data);
            if (track.video != null) {
                try {
                    if (newExtradata != null) {
                        track.video.updateExtradata(newExtradata);
                    }
                    List<MediaPacket> out = track.video.normalize(data, times[0], times[1],
                            (pkt.flags() & AV_PKT_FLAG_KEY) != 0);
                    out.forEach(this::deliver);
                } catch (IllegalArgumentException e) {
                    LOG.debug("pull {}: skipping malformed H.264 packet: {}", name, e.getMessage());
                }
            } else {
                if (newExtradata != null) {
                    track.audioConfig = newExtradata;
                    track.audioConfigSent = false;
                }
                if (!track.audioConfigSent) {
                    deliver(MediaPacket.audioConfig(times[1], track.audioConfig));
                    track.audioConfigSent = true;
                }
                deliver(new MediaPacket(MediaPacket.Track.AUDIO, MediaPacket.Codec.AAC, times[0], times[1], true,
                        false, data));
            }
        }

        private void deliver(MediaPacket packet) {
            long now = System.nanoTime();
            if (delivered == 0) {
                firstDeliveryNanos = now;
                sessions++;
                state = State.LIVE;
                LOG.info("pull {}: live", name);
            }
            delivered++;
            packets++;
            lastDeliveryNanos = now;
            timeline.delivered(now);
            sink.accept(packet);
        }
    }

    private static byte[] extradata(AVCodecParameters par) {
        int size = par.extradata_size();
        if (size <= 0 || par.extradata() == null) {
            return null;
        }
        byte[] b = new byte[size];
        par.extradata().get(b);
        return b;
    }

    /** Codec configuration that changed mid-stream (FLV sends a new AVC sequence header, for example). */
    private static byte[] newExtradata(AVPacket pkt, SizeTPointer size) {
        BytePointer side = av_packet_get_side_data(pkt, AV_PKT_DATA_NEW_EXTRADATA, size);
        if (side == null || side.isNull() || size.get() <= 0) {
            return null;
        }
        byte[] b = new byte[(int) size.get()];
        side.get(b);
        return b;
    }

    private static long toMicros(long ts, Track track) {
        return ts == AV_NOPTS_VALUE ? AV_NOPTS_VALUE
                : av_rescale(ts, track.timeBaseNum * 1_000_000L, track.timeBaseDen);
    }

    /** A selected stream of the session: slot 0 video, 1 audio. */
    private static final class Track {
        static final Track IGNORED = new Track(-1, null, null, null);
        final int slot;
        final int timeBaseNum;
        final int timeBaseDen;
        final H264PacketNormalizer video;
        byte[] audioConfig;
        boolean audioConfigSent;

        Track(int slot, AVRational timeBase, H264PacketNormalizer video, byte[] audioConfig) {
            this.slot = slot;
            this.timeBaseNum = timeBase == null ? 0 : timeBase.num();
            this.timeBaseDen = timeBase == null ? 1 : timeBase.den();
            this.video = video;
            this.audioConfig = audioConfig;
        }
    }

    /**
     * Maps each session's timestamps onto one clock that never goes back: a session's first packet lands after the
     * last delivered packet plus the wall-clock time that passed in between, and each track's dts strictly increases.
     */
    static final class Timeline {
        private final long[] lastDts = {Long.MIN_VALUE, Long.MIN_VALUE};
        private long lastOut = Long.MIN_VALUE;
        private long lastDeliveryNanos;
        private boolean sessionStarted;
        private long sessionOffset;

        /** Called when a new session starts delivering; the next mapped packet anchors it. */
        void newSession() {
            sessionStarted = false;
        }

        void delivered(long nowNanos) {
            lastDeliveryNanos = nowNanos;
        }

        /** Returns {pts, dts} in microseconds on the continuous clock. */
        long[] map(int slot, long pts, long dts) {
            if (dts == AV_NOPTS_VALUE) {
                dts = pts;
            }
            if (pts == AV_NOPTS_VALUE) {
                pts = dts;
            }
            if (!sessionStarted) {
                long base = lastOut == Long.MIN_VALUE ? 0
                        : lastOut + Math.max(1000, (System.nanoTime() - lastDeliveryNanos) / 1000);
                long first = dts == AV_NOPTS_VALUE ? 0 : dts;
                sessionOffset = base - first;
                lastDts[0] = base - 1;
                lastDts[1] = base - 1;
                sessionStarted = true;
            }
            long outDts;
            long outPts;
            if (dts == AV_NOPTS_VALUE) {
                outDts = lastDts[slot] + 1;
                outPts = outDts;
            } else {
                outDts = dts + sessionOffset;
                outPts = pts + sessionOffset;
                if (outDts <= lastDts[slot]) {
                    long shift = lastDts[slot] + 1 - outDts;
                    outDts += shift;
                    outPts += shift;
                }
            }
            lastDts[slot] = outDts;
            lastOut = Math.max(lastOut, outDts);
            return new long[] {outPts, outDts};
        }
    }
}
