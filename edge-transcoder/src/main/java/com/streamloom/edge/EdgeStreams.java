package com.streamloom.edge;

import com.streamloom.media.codec.PictureLimit;
import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsSettings;
import com.streamloom.media.hls.HlsStreams;
import com.streamloom.media.overlay.CaptionFeed;
import com.streamloom.media.overlay.ImageAssets;
import com.streamloom.media.packet.MediaSink;
import com.streamloom.media.rtmp.PublicationClosedException;
import com.streamloom.node.NodeConfig;
import com.streamloom.node.NodeToken;
import com.streamloom.node.http.ApiException;
import com.streamloom.node.http.ApiResponse;
import com.streamloom.node.http.MediaHttpServer;
import com.streamloom.node.runtime.NodeEntries;
import io.netty.handler.codec.http.HttpMethod;
import com.streamloom.media.rtmp.PublishRejectedException;
import com.streamloom.media.rtmp.PublishRequest;
import com.streamloom.media.thumbnail.Thumbnail;
import com.streamloom.spec.HostRules;
import com.streamloom.spec.StreamSpec;
import com.streamloom.spec.node.DesiredState;
import com.streamloom.spec.node.PipelineStatus;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams this edge runs, by name, reconciled towards a desired set (from the control API's heartbeat answer,
 * or from the config file in standalone mode), and the RTMP publish handler that lets publishers into them.
 *
 * <p>Each stream's HLS packager lives as long as the stream is desired, across publisher reconnects and pipeline
 * rebuilds, so its playlist continues (media sequence increasing, EXT-X-DISCONTINUITY at gaps).
 */
final class EdgeStreams implements NodeEntries<StreamSpec> {
    private static final Logger log = LoggerFactory.getLogger(EdgeStreams.class);

    private final Map<String, LiveStream> streams = new ConcurrentHashMap<>();
    private final HlsStreams hlsStreams;
    private final MeterRegistry registry;
    private final Clock clock;
    private final KeyAuthorizer keys;
    private final boolean takeoverOnRepublish;
    private final PublishBackoff backoff;
    private final NodeToken nodeToken;
    /** Where the streams' image stages may read pictures from. */
    private final ImageAssets assets;
    /** The hosts the streams' pulls and forwards may connect to. */
    private final HostRules outbound;
    /** The largest picture the streams' decoders open. */
    private final PictureLimit pictureLimit;
    /** Streams with a source at once (publishing or pulling), the node's {@code maxStreams}. */
    private final int maxStreams;
    /** Push streams granted by the key check that the desired state may not list yet (cluster mode race). */
    private final Set<String> grantedPush = ConcurrentHashMap.newKeySet();
    /** Stream name to the SHA-256 (hex) of the key its current publisher presented; never logged. */
    private final Map<String, String> publishedWith = new ConcurrentHashMap<>();
    /** Stream name to its current publisher's relay, which a rebuild moves onto the new pipeline. */
    private final Map<String, PublicationRelay> relays = new ConcurrentHashMap<>();

    EdgeStreams(HlsStreams hlsStreams, MeterRegistry registry, Clock clock, KeyAuthorizer keys,
                boolean takeoverOnRepublish, PublishBackoff backoff, NodeToken nodeToken, ImageAssets assets,
                HostRules outbound, PictureLimit pictureLimit, int maxStreams) {
        this.nodeToken = nodeToken;
        this.assets = assets;
        this.outbound = outbound;
        this.pictureLimit = pictureLimit;
        this.maxStreams = maxStreams;
        this.hlsStreams = hlsStreams;
        this.registry = registry;
        this.clock = clock;
        this.keys = keys;
        this.takeoverOnRepublish = takeoverOnRepublish;
        this.backoff = backoff;
    }

    @Override
    public List<Desired<StreamSpec>> fromConfig(NodeConfig config) {
        return config.streams().stream()
                .map(s -> new Desired<>(s.spec().name(), s.spec().name(), s.spec())).toList();
    }

    @Override
    public List<Desired<StreamSpec>> fromControl(DesiredState desired) {
        List<Desired<StreamSpec>> wanted = new ArrayList<>();
        for (DesiredState.StreamAssignment a : desired.streams()) {
            wanted.add(new Desired<>(a.id(), a.spec().name(), a.spec()));
            endIfKeyRotated(a);
        }
        grantedPush.retainAll(streams.keySet());
        return wanted;
    }

    /** A push stream the key check granted keeps running while published, until the desired state lists it. */
    @Override
    public boolean keepsUndesired(String name) {
        LiveStream s = streams.get(name);
        return grantedPush.contains(name) && s != null && s.isPublishing();
    }

    @Override
    public Set<String> names() {
        return Set.copyOf(streams.keySet());
    }

    /** A rotated key ends the publication that used the old one at once (a leaked key must stop working now). */
    private synchronized void endIfKeyRotated(DesiredState.StreamAssignment a) {
        String name = a.spec().name();
        String used = publishedWith.get(name);
        LiveStream s = streams.get(name);
        if (a.keySha256() == null || used == null || s == null || !s.isPublishing()
                || MessageDigest.isEqual(used.getBytes(StandardCharsets.US_ASCII),
                        a.keySha256().getBytes(StandardCharsets.US_ASCII))) {
            return;
        }
        publishedWith.remove(name);
        log.info("{}: the stream key was rotated; ending the publication that used the old one", name);
        s.endPublication("the stream key was rotated; publish again with the new key");
    }

    /** Starts the stream, applies a changed spec live, or rebuilds it on the same HLS packager. */
    @Override
    public synchronized Applied ensure(String id, StreamSpec desired) {
        StreamSpec spec = desired.validated();
        String name = spec.name();
        // before its HLS is served, so a signed output is never open for a moment
        hlsStreams.guard().require(name, spec.output().signed());
        LiveStream current = streams.get(name);
        if (current != null && current.spec().equals(spec) && current.id.equals(id)) {
            return Applied.UNCHANGED;
        }
        if (current != null && current.canApplyLive(spec)) {
            current.apply(spec);
            return Applied.UPDATED_LIVE;
        }
        HlsPackager hls = hlsStreams.keepOrReplace(name, HlsSettings.from(spec.output()),
                settings -> new HlsPackager(name, settings, clock, HlsPackager.wallClockSequence(clock),
                        hlsStreams.discontinuities()));
        CaptionFeed captions = current != null ? current.captions() : new CaptionFeed(clock);
        PublicationRelay relay = current != null && current.isPublishing() ? relays.get(name) : null;
        if (current != null) {
            log.info("{}: source or encoding changed, rebuilding the pipeline (HLS{} continue{})", name,
                    relay != null ? " and the publisher" : "", relay != null ? "" : "s");
            if (relay != null) {
                relay.moveTo(DISCARD);     // what arrives during the rebuild; video resumes at a keyframe
            }
            streams.remove(name);
            current.close();
        } else {
            log.info("{}: starting ({})", name, spec.source().type());
        }
        LiveStream created = new LiveStream(id, spec, hls, captions, registry, clock, assets, outbound, pictureLimit,
                hlsStreams.thumbnails().of(name));
        streams.put(name, created);
        if (relay != null && relay.active() && !spec.source().isPull()) {
            relay.moveTo(created.publish());
        } else if (relay != null && relay.active()) {
            relay.moveTo(packet -> {
                throw new PublicationClosedException("stream " + name + " now pulls its source; it takes no publisher");
            });
        }
        return current != null ? Applied.REBUILT : Applied.STARTED;
    }

    @Override
    public synchronized void remove(String name) {
        NodeEntries.stopAndForget(streams, name, LiveStream::close, hlsStreams);
        grantedPush.remove(name);
        relays.remove(name);
    }

    /**
     * Lets a publisher in: the address's back-off is checked first (refused at once while it lasts), then the key
     * (asynchronously: a control API check never holds the RTMP event loop), then the stream is claimed.
     */
    @Override
    public CompletableFuture<MediaSink> onPublishAsync(PublishRequest request) {
        SocketAddress from = request.remoteAddress();
        String refusal = backoff.admit(from);
        if (refusal != null) {
            return CompletableFuture.failedFuture(PublishRejectedException.unavailable(refusal));
        }
        CompletableFuture<KeyAuthorizer.Grant> decision;
        try {
            decision = keys.authorize(request);
        } catch (RuntimeException e) {
            decision = CompletableFuture.failedFuture(e);
        }
        return decision.handle((grant, failure) -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof PublishRejectedException rejected && rejected.keyRefused()) {
                backoff.finished(from, false);
                throw new CompletionException(new PublishRejectedException(rejected.statusCode(),
                        rejected.getMessage() + " (next attempt from this address in "
                                + PublishBackoff.seconds(backoff.remaining(from)) + " s)"));
            }
            backoff.finished(from, cause == null ? Boolean.TRUE : null);
            if (cause != null) {
                throw new CompletionException(cause);
            }
            try {
                return claim(grant, request);
            } catch (PublishRejectedException e) {
                throw new CompletionException(e);
            }
        });
    }

    /** The same decision, waited for: for callers that are not on an event loop. */
    @Override
    public MediaSink onPublish(PublishRequest request) throws PublishRejectedException {
        try {
            return onPublishAsync(request).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof PublishRejectedException rejected) {
                throw rejected;
            }
            throw e;
        }
    }

    private MediaSink claim(KeyAuthorizer.Grant grant, PublishRequest request) throws PublishRejectedException {
        StreamSpec spec = grant.spec();
        if (spec.source().isPull()) {
            throw new PublishRejectedException("stream " + spec.name() + " is a pull stream; it takes no publisher");
        }
        synchronized (this) {
            LiveStream s = streams.get(spec.name());
            boolean replaces = s != null && s.isPublishing();
            if (!replaces && withSource() >= maxStreams) {
                throw PublishRejectedException.unavailable("edge is at capacity: " + maxStreams
                        + " streams; try again later or publish to another edge");
            }
            if (s == null) {
                grantedPush.add(spec.name());
                ensure(grant.streamId(), spec);
                s = streams.get(spec.name());
            }
            if (s.isPublishing() && !takeoverOnRepublish) {
                throw new PublishRejectedException("stream " + spec.name() + " is already publishing");
            }
            log.info("{}: publisher connected from {}", spec.name(), request.remoteAddress());
            publishedWith.put(spec.name(), request.keyHash());
            PublicationRelay relay = new PublicationRelay(s.publish());
            relays.put(spec.name(), relay);
            return relay;
        }
    }

    /** Streams whose source runs now: a publisher is connected, or it pulls. Called holding this. */
    private long withSource() {
        return streams.values().stream().filter(s -> s.isPublishing() || s.spec().source().isPull()).count();
    }

    /** Where packets go while a pipeline is rebuilt under its publisher. */
    private static final MediaSink DISCARD = packet -> {
    };

    LiveStream get(String name) {
        return streams.get(name);
    }

    /** The stream's thumbnail (what {@code thumbnail.jpg} serves), or null before its pipeline first ran. */
    Thumbnail thumbnail(String name) {
        return hlsStreams.thumbnails().get(name);
    }

    List<LiveStream> all() {
        return List.copyOf(streams.values());
    }

    @Override
    public List<PipelineStatus> statuses() {
        return streams.values().stream().map(LiveStream::status).toList();
    }

    @Override
    public List<Map<String, Object>> describe() {
        return all().stream().map(EdgeStreams::describe).toList();
    }

    private static Map<String, Object> describe(LiveStream s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.spec().name());
        m.put("state", s.state());
        m.put("source", s.spec().source().type());
        m.put("playbackUrl", "/hls/" + s.spec().name() + "/index.m3u8");
        m.put("playback", s.spec().output().playback());
        m.put("fps", s.processor().fps());
        m.put("latencyP99Ms", s.processor().latency().percentileMillis(0.99));
        m.put("drops", s.processor().drops());
        m.put("stages", s.spec().stages().stream().map(st -> st.type()).toList());
        m.put("error", s.error());
        return m;
    }

    /** The edge's own route: a caption for a stream's captions stage. */
    @Override
    public void addRoutes(MediaHttpServer http) {
        http.route(HttpMethod.POST, "/api/streams/{name}/captions", req -> {
            nodeToken.requireBearer(req);
            LiveStream s = streams.get(req.pathParam("name"));
            if (s == null) {
                throw ApiException.notFound("no stream named " + req.pathParam("name") + " on this edge");
            }
            Caption body = req.bodyAs(Caption.class);
            if (body.text() == null || body.text().isBlank()) {
                throw ApiException.badRequest("text: is required");
            }
            // a caption is drawn on frames as they pass: with no frames passing it would never be seen
            String state = s.state();
            if (!"live".equals(state)) {
                throw new ApiException(409, "stream " + s.spec().name() + " is not live (" + state
                        + (s.spec().source().isPull() ? ", its source is not reachable" : ", no publisher")
                        + "): the caption would not be seen; send it once the stream is live");
            }
            try {
                s.captions().post(body.text());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("text: " + e.getMessage());
            }
            return ApiResponse.json(202, Map.of("stream", s.spec().name(), "accepted", true));
        });
    }

    /** Request body of the captions route. */
    record Caption(String text) {
    }

    @Override
    public synchronized void close() {
        for (String name : new ArrayList<>(streams.keySet())) {
            remove(name);
        }
    }
}
