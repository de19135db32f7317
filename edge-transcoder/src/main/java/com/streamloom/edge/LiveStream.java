package com.streamloom.edge;

import com.streamloom.media.filter.Filters;
import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.ingest.PullSource;
import com.streamloom.media.overlay.CaptionFeed;
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
import com.streamloom.spec.StageSpec;
import com.streamloom.spec.StreamSpec;
import com.streamloom.spec.node.PipelineStatus;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One stream running on this edge: source (a publisher's RTMP session or a pull), the stream processor
 * (decode → stages → encode), and its outputs (the HLS packager, which outlives this object, and an optional RTMP
 * forward to a compositor). {@link #apply} changes what can change live: the stage list (swapped between two
 * frames) and the forward target; anything else needs a new LiveStream on the same packager.
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
    private volatile RtmpPublisher forward;
    private volatile String lastError;
    /** The latest codec configuration sent to the outputs, for a forward target added while the stream runs. */
    private volatile MediaPacket lastVideoConfig;
    private volatile MediaPacket lastAudioConfig;

    /** Which publication currently feeds the stream; a takeover moves it on and the old one is closed. */
    private final AtomicLong publication = new AtomicLong();
    private volatile boolean publishing;

    LiveStream(String id, StreamSpec spec, HlsPackager hls, CaptionFeed captions, MeterRegistry registry, Clock clock) {
        this.id = id;
        this.spec = spec;
        this.hls = hls;
        this.captions = captions;
        this.stages = new Stages().registerFilters(Filters::create).registerOverlays(s -> Overlays.create(s, captions));
        List<FrameStage> initial = stages.createAll(withCaptions(spec.stages()));
        this.processor = StreamProcessor.builder(spec.name())
                .stages(initial)
                .encoding(spec.encoding())
                .keyframes(com.streamloom.media.codec.KeyframePolicy.atSegmentBoundaries(
                        Math.round(spec.output().segmentSeconds() * 1_000_000)))
                .clock(clock)
                .output(new Outputs())
                .build()
                .start();
        this.metrics = PipelineMetrics.bind(registry, processor);
        this.forward = startForward(spec.output().forwardUrl());
        if (spec.source().isPull()) {
            pull = new PullSource(spec.name(), spec.source().url(), PullSource.Settings.of(spec.source()), processor)
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
     * and the error visible in the status) and swapped in between two frames; a changed forward target reconnects.
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
        if (!Objects.equals(next.output().forwardUrl(), spec.output().forwardUrl())) {
            RtmpPublisher old = forward;
            RtmpPublisher started = startForward(next.output().forwardUrl());
            if (started != null) {
                // the stream is already running: its codec configuration went out before this target existed
                MediaPacket v = lastVideoConfig;
                MediaPacket a = lastAudioConfig;
                if (v != null) {
                    started.accept(v);
                }
                if (a != null) {
                    started.accept(a);
                }
            }
            forward = started;
            if (old != null) {
                old.close();
            }
        }
        spec = next;
    }

    /**
     * A publisher starts: returns its sink. With {@code takeover} a newer publisher replaces the current one (whose
     * next packet is refused, closing its connection); otherwise a second publisher is refused by the caller.
     */
    MediaSink publish() {
        long mine = publication.incrementAndGet();
        publishing = true;
        return new MediaSink() {
            @Override
            public void accept(MediaPacket packet) {
                if (publication.get() != mine) {
                    throw new PublicationClosedException("another publisher took over this stream");
                }
                processor.accept(packet);
            }

            @Override
            public void end(String reason) {
                if (publication.get() == mine) {
                    publishing = false;
                    processor.end(reason);
                }
            }
        };
    }

    boolean isPublishing() {
        return publishing;
    }

    /** Ends the current publication from our side (stream deleted or moved). */
    void kickPublisher() {
        publication.incrementAndGet();
        publishing = false;
    }

    String state() {
        if (lastError != null && processor.framesEncoded() == 0) {
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
        return pull != null ? pull.lastError() : null;
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

    private RtmpPublisher startForward(String url) {
        if (url == null) {
            return null;
        }
        return new RtmpPublisher(RtmpUrl.parse(url), RtmpSettings.defaults()).start();
    }

    /** The processor's output: every packet to HLS, and to the forward target when there is one. */
    private final class Outputs implements MediaSink {
        @Override
        public void accept(MediaPacket packet) {
            if (packet.config()) {
                if (packet.isVideo()) {
                    lastVideoConfig = packet;
                } else {
                    lastAudioConfig = packet;
                }
            }
            hls.accept(packet);
            RtmpPublisher f = forward;
            if (f != null) {
                f.accept(packet);
            }
        }

        @Override
        public void end(String reason) {
            hls.end(reason);
            RtmpPublisher f = forward;
            if (f != null) {
                f.end(reason);
            }
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
        RtmpPublisher f = forward;
        if (f != null) {
            f.close();
        }
    }
}
