package com.streamloom.edge;

import com.streamloom.media.codec.PictureLimit;
import com.streamloom.media.filter.Filters;
import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.thumbnail.Thumbnail;
import com.streamloom.media.ingest.PullSettings;
import com.streamloom.media.ingest.PullSource;
import com.streamloom.media.overlay.CaptionFeed;
import com.streamloom.media.overlay.ImageAssets;
import com.streamloom.media.overlay.Overlays;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;
import com.streamloom.media.pipeline.FrameStage;
import com.streamloom.media.pipeline.PipelineMetrics;
import com.streamloom.media.pipeline.Stages;
import com.streamloom.media.pipeline.StreamProcessor;
import com.streamloom.media.rtmp.PublicationClosedException;
import com.streamloom.media.rtmp.RtmpPublisher;
import com.streamloom.media.rtmp.RtmpSettings;
import com.streamloom.media.rtmp.RtmpUrl;
import com.streamloom.spec.HostRules;
import com.streamloom.spec.StageSpec;
import com.streamloom.spec.StreamSpec;
import com.streamloom.spec.node.PipelineStatus;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One stream running on this edge: source (a publisher's RTMP session or a pull), the stream processor
 * (decode → stages → encode), and its outputs (the HLS packager, which outlives this object, and one RTMP push per
 * forward target: the compositors of the compositions using the stream). {@link #apply} changes what
 * can change live: the stage list (swapped between two frames) and the forward targets (only the ones that changed
 * connect or disconnect); anything else needs a new LiveStream on the same packager.
 */
final class LiveStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);

    final String id;
    private volatile StreamSpec spec;
    private final CaptionFeed captions;
    private final Stages stages;
    private final HlsPackager hls;
    private final StreamProcessor processor;
    private final PipelineMetrics metrics;
    private final PullSource pull;
    /** Forward target URL → its publisher; replaced as a whole, so the output thread reads a consistent set. */
    private volatile Map<String, RtmpPublisher> forwards = Map.of();
    /**
     * The forward targets the spec names. They are connected only while the stream has media, from its first packet
     * to the end of its source: a compositor closes a publication that carries nothing, and would count an empty one
     * as a live input.
     */
    private volatile List<String> forwardTargets;
    private volatile boolean forwarding;
    private final Object forwardLock = new Object();
    private volatile String lastError;
    private volatile String forwardError;
    /** The hosts this stream's pull and forwards may connect to. */
    private final HostRules outbound;
    /** The latest codec configuration sent to the outputs, for a forward target added while the stream runs. */
    private volatile MediaPacket lastVideoConfig;
    private volatile MediaPacket lastAudioConfig;

    /**
     * Which publication currently feeds the stream; a takeover moves it on and the old one is closed. Guarded by
     * {@code publicationLock}, which a publisher's packet also holds on its way into the processor, so no packet
     * of a replaced publisher reaches the processor after the takeover's end of source.
     */
    private final Object publicationLock = new Object();
    private long publication;
    private volatile boolean publishing;
    /** Why the last publication was ended from our side, told to its publisher on its next packet. */
    private String endedBecause = "another publisher took over this stream";

    LiveStream(String id, StreamSpec spec, HlsPackager hls, CaptionFeed captions, MeterRegistry registry, Clock clock,
               ImageAssets assets, HostRules outbound, PictureLimit pictureLimit, Thumbnail thumbnail) {
        this.id = id;
        this.outbound = outbound;
        this.spec = spec;
        this.hls = hls;
        this.captions = captions;
        this.stages = new Stages().registerFilters(Filters::create).registerOverlays(s -> Overlays.create(s, captions, assets));
        List<FrameStage> initial = stages.createAll(withCaptions(spec.stages()));
        this.processor = StreamProcessor.builder(spec.name())
                .stages(initial)
                .encoding(spec.encoding())
                .keyframes(com.streamloom.media.codec.KeyframePolicy.atSegmentBoundaries(
                        Math.round(spec.output().segmentSeconds() * 1_000_000)))
                .clock(clock)
                .pictureLimit(pictureLimit)
                .pictures(thumbnail::offer)
                .output(new Outputs())
                .build()
                .start();
        this.metrics = PipelineMetrics.bind(registry, processor);
        forwardTargets = spec.output().forwardUrls();
        forwardError = ForwardTargets.unusable(forwardTargets, outbound);
        if (spec.source().isPull()) {
            pull = new PullSource(spec.name(), spec.source().url(),
                    PullSettings.of(spec.source()).withOutbound(outbound), processor)
                    .start();
        } else {
            pull = null;
        }
    }

    StreamSpec spec() {
        return spec;
    }

    /**
     * Live captions sent through the API must show whatever the spec says, so a pipeline without a {@code captions}
     * stage gets one with default settings at the end (on top of everything else).
     */
    static List<StageSpec> withCaptions(List<StageSpec> stages) {
        if (stages.stream().anyMatch(s -> s.type().equals("captions"))) {
            return stages;
        }
        List<StageSpec> all = new java.util.ArrayList<>(stages);
        all.add(new StageSpec("captions", java.util.Map.of()).validated("stages[" + stages.size() + "]"));
        return all;
    }

    CaptionFeed captions() {
        return captions;
    }

    /** True if {@code next} can be applied to this running stream without rebuilding it. */
    boolean canApplyLive(StreamSpec next) {
        return next.source().equals(spec.source()) && next.encoding().equals(spec.encoding())
                && next.output().segmentSeconds().equals(spec.output().segmentSeconds())
                && next.output().windowSegments().equals(spec.output().windowSegments());
    }

    /**
     * Applies a changed spec live: new stages are built first (a bad stage leaves the running pipeline untouched
     * and the error visible in the status) and swapped in between two frames; forward targets are added and removed
     * one by one, and the ones in both specs keep their connection.
     */
    void apply(StreamSpec next) {
        if (!next.stages().equals(spec.stages())) {
            try {
                processor.updateStages(stages.createAll(withCaptions(next.stages())));
                lastError = null;
            } catch (RuntimeException e) {
                lastError = "stages not applied: " + e.getMessage();
                log.warn("{}: {}", next.name(), lastError);
                return;
            }
        }
        if (!next.output().forwardUrls().equals(spec.output().forwardUrls())) {
            synchronized (forwardLock) {
                forwardTargets = next.output().forwardUrls();
                forwardError = ForwardTargets.unusable(forwardTargets, outbound);
                if (forwarding) {
                    updateForwards(forwardTargets);
                }
            }
        }
        spec = next;
    }

    /**
     * A publisher starts: returns its sink. With {@code takeover} a newer publisher replaces the current one (whose
     * next packet is refused, closing its connection); otherwise a second publisher is refused by the caller.
     * A takeover ends the old publisher's source in the processor first: the new publisher's timestamps start
     * anywhere, so like a publisher that reconnects it continues the output clock after a discontinuity (without
     * that, the encoder refused its frames as non-monotonic for as long as the old one had been live).
     */
    MediaSink publish() {
        long mine;
        synchronized (publicationLock) {
            if (publishing) {
                processor.end("another publisher took over");
            }
            endedBecause = "another publisher took over this stream";
            mine = ++publication;
            publishing = true;
        }
        return new MediaSink() {
            @Override
            public void accept(MediaPacket packet) {
                synchronized (publicationLock) {
                    if (publication != mine) {
                        throw new PublicationClosedException(endedBecause);
                    }
                    processor.accept(packet);
                }
            }

            @Override
            public void end(String reason) {
                synchronized (publicationLock) {
                    if (publication == mine) {
                        publishing = false;
                        processor.end(reason);
                    }
                }
            }
        };
    }

    boolean isPublishing() {
        return publishing;
    }

    /** Ends the current publication from our side (stream deleted or moved). */
    void kickPublisher() {
        synchronized (publicationLock) {
            endedBecause = "this stream no longer runs on this edge";
            publication++;
            publishing = false;
        }
    }

    /**
     * Ends the current publication while the stream goes on (its key was rotated): the processor learns the source
     * ended, as for a publisher that left, and the publisher is told {@code reason} on its next packet.
     */
    void endPublication(String reason) {
        synchronized (publicationLock) {
            if (publishing) {
                processor.end(reason);
            }
            endedBecause = reason;
            publication++;
            publishing = false;
        }
    }

    String state() {
        if (lastError != null && processor.framesEncoded() == 0
                || processor.pictureRefusal() != null && (publishing || pull != null)) {
            return "failed";
        }
        if (pull != null) {
            return switch (pull.state()) {
                case LIVE -> "live";
                case CONNECTING -> "connecting";
                case RECONNECTING -> "reconnecting";
                case STOPPED -> "stopped";
            };
        }
        return publishing ? "live" : "waiting";
    }

    String error() {
        if (lastError != null) {
            return lastError;
        }
        String refusal = processor.pictureRefusal();
        if (refusal != null) {
            return refusal;
        }
        String pullError = pull != null ? pull.lastError() : null;
        return pullError != null ? pullError : forwardError;
    }

    PipelineStatus status() {
        return new PipelineStatus(id, "stream", state(), processor.fps(),
                processor.latency().percentileMillis(0.99), processor.drops(),
                error());
    }

    StreamProcessor processor() {
        return processor;
    }

    HlsPackager hls() {
        return hls;
    }

    /**
     * Starts a publisher for each target in {@code urls} that has none, closes the ones of targets not in it and
     * leaves the others alone. A target that cannot start is left out and named in {@link #error()}.
     */
    private void updateForwards(List<String> urls) {
        Map<String, RtmpPublisher> current = forwards;
        Map<String, RtmpPublisher> next = new LinkedHashMap<>();
        String failed = null;
        for (String url : urls) {
            RtmpPublisher p = current.get(url);
            if (p == null) {
                try {
                    p = new RtmpPublisher(RtmpUrl.parse(url), RtmpSettings.defaults(), outbound).start();
                } catch (RuntimeException e) {
                    // a parse error's message quotes the URL, whose query carries the node token
                    failed = "forward to " + ForwardTargets.redacted(url) + " not started: "
                            + (e instanceof IllegalArgumentException ? "not an rtmp:// publish URL" : e.toString());
                    log.warn("{}: {}", spec.name(), failed);
                    continue;
                }
                // the stream may be running: its codec configuration went out before this target existed
                MediaPacket v = lastVideoConfig;
                MediaPacket a = lastAudioConfig;
                if (v != null) {
                    p.accept(v);
                }
                if (a != null) {
                    p.accept(a);
                }
                log.info("{}: forwarding to {}", spec.name(), ForwardTargets.redacted(url));
            }
            next.put(url, p);
        }
        forwards = Collections.unmodifiableMap(next);
        forwardError = failed != null ? failed : ForwardTargets.unusable(forwardTargets, outbound);
        for (Map.Entry<String, RtmpPublisher> e : current.entrySet()) {
            if (!next.containsKey(e.getKey())) {
                log.info("{}: no longer forwarding to {}", spec.name(), ForwardTargets.redacted(e.getKey()));
                closeQuietly(e.getValue());
            }
        }
    }

    /** The source's first packet connects the forwards; its end disconnects them. On the output thread. */
    private void forwardWhileMediaFlows(boolean flowing) {
        if (forwarding == flowing) {
            return;
        }
        synchronized (forwardLock) {
            if (forwarding != flowing) {
                forwarding = flowing;
                updateForwards(flowing ? forwardTargets : List.of());
            }
        }
    }

    private void closeQuietly(RtmpPublisher p) {
        try {
            p.close();
        } catch (RuntimeException e) {
            log.warn("{}: closing a forward failed: {}", spec.name(), e.toString());
        }
    }

    /** The processor's output: every packet to HLS and to every forward target; one target's fault stays its own. */
    private final class Outputs implements MediaSink {
        @Override
        public void accept(MediaPacket packet) {
            forwardWhileMediaFlows(true);
            if (packet.config()) {
                if (packet.isVideo()) {
                    lastVideoConfig = packet;
                } else {
                    lastAudioConfig = packet;
                }
            }
            hls.accept(packet);
            for (RtmpPublisher f : forwards.values()) {
                try {
                    f.accept(packet);
                } catch (RuntimeException e) {
                    log.warn("{}: a forward refused a packet: {}", spec.name(), e.toString());
                }
            }
        }

        @Override
        public void end(String reason) {
            hls.end(reason);
            for (RtmpPublisher f : forwards.values()) {
                try {
                    f.end(reason);
                } catch (RuntimeException e) {
                    log.warn("{}: a forward failed to end: {}", spec.name(), e.toString());
                }
            }
            forwardWhileMediaFlows(false);
        }
    }

    @Override
    public void close() {
        kickPublisher();
        if (pull != null) {
            pull.close();
        }
        processor.close();
        metrics.close();
        Map<String, RtmpPublisher> last = forwards;
        forwards = Map.of();
        last.values().forEach(this::closeQuietly);
    }
}
