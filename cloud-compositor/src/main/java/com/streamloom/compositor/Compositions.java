package com.streamloom.compositor;

import com.streamloom.media.codec.PictureLimit;
import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsSettings;
import com.streamloom.media.hls.HlsStreams;
import com.streamloom.node.NodeToken;
import com.streamloom.media.packet.CodecConfigs;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;
import com.streamloom.media.rtmp.ExclusivePublishers;
import com.streamloom.node.NodeConfig;
import com.streamloom.node.runtime.NodeEntries;
import com.streamloom.media.rtmp.PublishRejectedException;
import com.streamloom.media.rtmp.PublishRequest;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.Names;
import com.streamloom.spec.SpecException;
import com.streamloom.spec.node.DesiredState;
import com.streamloom.spec.node.PipelineStatus;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compositions this node runs, by name, reconciled towards a desired set (the control API's heartbeat answer,
 * or the config file in standalone mode), and the RTMP publish handler that feeds their inputs.
 *
 * <p>RTMP ingest here is node to node: an edge pushes a processed stream under the stream's own name
 * ({@code rtmp://compositor:1936/live/<stream>}). A publish is accepted when some running composition has that
 * stream as an input, and its packets go to every composition that has it (also compositions that start or add
 * the input while the publication runs). One publisher per stream name. In a cluster the publisher must present the
 * forward token of that input ({@code ?token=...}, which the edge gets from the control API in its forward URL and
 * this node only as a hash: {@link InputTokens}). Standalone, the node token is the publish secret (a compositor
 * started by the launcher always has one); only a node built without any token (tests on loopback) takes any
 * publisher.
 *
 * <p>Each composition's HLS packager lives as long as the composition is desired, across rebuilds (a canvas change
 * needs a new encoder), so its playlist continues.
 */
final class Compositions implements NodeEntries<CompositionSpec> {
    private static final Logger log = LoggerFactory.getLogger(Compositions.class);
    static final String APP = "live";

    private final Map<String, LiveComposition> byName = new ConcurrentHashMap<>();
    private final HlsStreams hlsStreams;
    private final MeterRegistry registry;
    private final Clock clock;
    private final NodeToken nodeToken;
    private final PictureLimit pictureLimit;
    private final ExclusivePublishers publishers = new ExclusivePublishers();
    /**
     * An input has signal while its publisher sends media: a connected publisher that sends nothing for this long
     * is not live (the composition shows the slate for it), whatever the connection says.
     */
    static final long SIGNAL_TIMEOUT_MILLIS = 3_000;
    /** Input stream to the clock's millis of its last media packet. */
    private final Map<String, Long> lastMedia = new ConcurrentHashMap<>();
    /** The inputs' forward tokens from the control API's last desired state; null standalone (node token). */
    private volatile InputTokens inputTokens;

    Compositions(HlsStreams hlsStreams, MeterRegistry registry, Clock clock, NodeToken nodeToken,
                 PictureLimit pictureLimit) {
        this.pictureLimit = pictureLimit;
        this.hlsStreams = hlsStreams;
        this.registry = registry;
        this.clock = clock;
        this.nodeToken = nodeToken;
    }

    @Override
    public List<Desired<CompositionSpec>> fromConfig(NodeConfig config) {
        return config.compositions().stream().map(c -> new Desired<>(c.name(), c.name(), c)).toList();
    }

    @Override
    public List<Desired<CompositionSpec>> fromControl(DesiredState desired) {
        List<DesiredState.CompositionAssignment> assignments = desired.compositions() == null
                ? List.of() : desired.compositions();
        inputTokens = InputTokens.of(assignments);
        return assignments.stream().map(a -> new Desired<>(a.id(), a.spec().name(), a.spec())).toList();
    }

    @Override
    public Set<String> names() {
        return Set.copyOf(byName.keySet());
    }

    /** Starts the composition, applies a changed spec live, or rebuilds it on the same HLS packager. */
    @Override
    public synchronized Applied ensure(String id, CompositionSpec spec) {
        CompositionSpec s = spec.validated();
        String name = s.name();
        // before its HLS is served, so a signed output is never open for a moment
        hlsStreams.guard().require(name, s.output().signed());
        LiveComposition current = byName.get(name);
        if (current != null && current.spec().equals(s) && current.id.equals(id)) {
            return Applied.UNCHANGED;
        }
        if (current != null && current.id.equals(id) && current.canApplyLive(s)) {
            current.apply(s);
            log.info("{}: updated live ({} inputs, {} layout)", name, s.inputs().size(), s.layout().type());
            return Applied.UPDATED_LIVE;
        }
        if (current != null) {
            log.info("{}: canvas or output changed, rebuilding the composition", name);
            byName.remove(name);
            current.close();
        } else {
            log.info("{}: starting ({}x{}@{}, {} inputs)", name, s.canvas().width(), s.canvas().height(),
                    s.canvas().fps(), s.inputs().size());
        }
        HlsPackager hls = hlsStreams.keepOrReplace(name, HlsSettings.from(s.output()),
                settings -> new HlsPackager(name, settings, clock, HlsPackager.wallClockSequence(clock),
                        hlsStreams.discontinuities()));
        LiveComposition created = new LiveComposition(id, s, hls, registry, clock, this::isPublishing, pictureLimit,
                hlsStreams.thumbnails().of(name)::offer);
        byName.put(name, created);
        return current != null ? Applied.REBUILT : Applied.STARTED;
    }

    @Override
    public synchronized void remove(String name) {
        NodeEntries.stopAndForget(byName, name, LiveComposition::close, hlsStreams);
    }

    @Override
    public MediaSink onPublish(PublishRequest request) throws PublishRejectedException {
        if (!APP.equals(request.app())) {
            throw new PublishRejectedException("unknown application '" + request.app() + "' (publish to /" + APP + ")");
        }
        String stream = request.streamKey();
        try {
            Names.check("stream", stream);
        } catch (SpecException e) {
            throw new PublishRejectedException("'" + stream + "' is not a valid stream name");
        }
        String token = request.queryParameters().get("token");
        InputTokens tokens = inputTokens;
        if (tokens != null ? !tokens.opens(stream, token) : nodeToken.configured() && !nodeToken.matches(token)) {
            throw new PublishRejectedException(tokens != null
                    ? "input '" + stream + "' needs its forward token (?token=...) from the control API"
                    : "this compositor requires the node token (?token=...) to publish");
        }
        if (byName.values().stream().noneMatch(c -> c.composition().hasInput(stream))) {
            throw new PublishRejectedException("no composition on this node has input '" + stream + "'");
        }
        MediaSink sink = publishers.claim(stream, new FanOut(stream));
        log.info("input {}: publisher connected from {}", stream, request.remoteAddress());
        return sink;
    }

    /** True while the input has a publisher that sends media (not merely an open connection). */
    boolean isPublishing(String stream) {
        Long last = lastMedia.get(stream);
        return publishers.isLive(stream) && last != null && clock.millis() - last <= SIGNAL_TIMEOUT_MILLIS;
    }

    LiveComposition get(String name) {
        return byName.get(name);
    }

    List<LiveComposition> all() {
        return byName.values().stream().sorted(java.util.Comparator.comparing(c -> c.spec().name())).toList();
    }

    @Override
    public List<PipelineStatus> statuses() {
        return all().stream().map(c -> c.status(this::isPublishing)).toList();
    }

    /** Each composition in the shape of the edge's stream list, so the same player page works. */
    @Override
    public List<Map<String, Object>> describe() {
        return all().stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.spec().name());
            m.put("state", c.state(this::isPublishing));
            m.put("source", "composition");
            m.put("playbackUrl", "/hls/" + c.spec().name() + "/index.m3u8");
            m.put("playback", c.spec().output().playback());
            m.put("fps", c.fps());
            m.put("latencyP99Ms", c.tickMillis());
            m.put("drops", c.drops());
            m.put("stages", List.of());
            m.put("layout", c.spec().layout().type());
            m.put("inputs", c.spec().inputs().stream().map(in -> Map.of("stream", in.stream(),
                    "live", isPublishing(in.stream()))).toList());
            m.put("error", c.error());
            return m;
        }).toList();
    }

    @Override
    public synchronized void close() {
        for (String name : new ArrayList<>(byName.keySet())) {
            remove(name);
        }
    }

    /**
     * One publication's packets to every composition (current or started later) that has the stream as an input.
     * A composition that joins mid-publication first gets the publication's config packets, which RTMP sends only
     * at its start. Called on the publisher's network thread.
     */
    private final class FanOut implements MediaSink {
        private final String stream;
        private final Map<LiveComposition, MediaSink> sinks = new IdentityHashMap<>();
        private final CodecConfigs configs = new CodecConfigs();

        FanOut(String stream) {
            this.stream = stream;
        }

        @Override
        public synchronized void accept(MediaPacket packet) {
            if (!configs.note(packet)) {
                lastMedia.put(stream, clock.millis());
            }
            sinks.keySet().removeIf(c -> byName.get(c.spec().name()) != c);   // stopped or rebuilt
            for (LiveComposition c : byName.values()) {
                MediaSink sink = sinks.get(c);
                if (sink == null) {
                    sink = c.composition().sinkFor(stream);
                    sinks.put(c, sink);
                    configs.replayTo(sink, packet);
                }
                sink.accept(packet);
            }
        }

        @Override
        public synchronized void end(String reason) {
            log.info("input {}: publisher gone ({})", stream, reason);
            lastMedia.remove(stream);
            for (MediaSink sink : sinks.values()) {
                sink.end(reason);
            }
            sinks.clear();
        }
    }
}
