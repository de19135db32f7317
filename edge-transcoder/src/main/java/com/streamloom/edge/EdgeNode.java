package com.streamloom.edge;

import com.streamloom.node.agent.NodeAgent;
import com.streamloom.node.agent.ProcessLoad;
import com.streamloom.media.hls.HlsStreams;
import com.streamloom.node.http.ApiException;
import com.streamloom.node.http.ApiResponse;
import com.streamloom.node.http.HttpServerSettings;
import com.streamloom.node.http.MediaHttpServer;
import com.streamloom.node.NodeConfig;
import com.streamloom.node.NodeMetrics;
import com.streamloom.node.agent.NodeCredential;
import com.streamloom.node.NodeToken;
import com.streamloom.media.rtmp.RtmpServer;
import com.streamloom.media.rtmp.RtmpSettings;
import com.streamloom.spec.PlaybackToken;
import com.streamloom.media.tls.PemTls;
import com.streamloom.spec.StreamSpec;
import com.streamloom.spec.node.NodeLoad;
import com.streamloom.spec.node.NodeRole;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The edge process's composition root: RTMP ingest on {@code rtmpPort}, HTTP (HLS, player page, /metrics, the
 * node API) on {@code httpPort}, the streams, and in cluster mode the node agent that reconciles them with the
 * control API's desired state.
 *
 * <p>Node API (JSON): {@code GET /api/streams} (public: names, states, playback URLs; never keys),
 * {@code POST /api/streams/{name}/captions} {"text": ...} and {@code PUT /api/streams/{name}} (a spec; standalone
 * mode), both requiring {@code Authorization: Bearer <nodeToken>} (without a configured token they are closed;
 * the launcher gives a standalone node a generated one), and {@code GET /healthz}. Browsers on other origins may
 * read; only {@code corsAllowedOrigins} may write.
 */
public final class EdgeNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EdgeNode.class);

    private final NodeConfig config;
    private final PrometheusMeterRegistry registry = NodeMetrics.newRegistry();
    private final NodeToken nodeToken;
    private final HlsStreams hlsStreams;
    private final EdgeStreams streams;
    private final MediaHttpServer http;
    private final RtmpServer rtmp;
    private final NodeAgent agent;

    private EdgeNode(NodeConfig config, Clock clock, PublishGuardSettings guard) throws InterruptedException {
        this.config = config;
        this.nodeToken = new NodeToken(config.nodeToken(), !config.standalone());
        this.hlsStreams = new HlsStreams(PlaybackToken.Kind.STREAM, clock);
        // in a cluster, one credential of this node's own for its heartbeats and publish-checks
        NodeCredential credential = config.standalone() ? null : new NodeCredential(config.controlUrl(),
                config.nodeId(), config.nodeToken(), Path.of(config.credentialFile()));
        KeyAuthorizer keys = config.standalone()
                ? new StandaloneKeys(config.streams(), config.openDevMode())
                : new ControlApiKeys(config.controlUrl(), config.nodeId(), credential, clock, guard);
        this.streams = new EdgeStreams(hlsStreams, registry, clock, keys, config.takeoverOnRepublish(),
                new PublishBackoff(guard, clock));
        this.http = new MediaHttpServer(HttpServerSettings.defaults(config.httpPort()).withHost(config.bindHost())
                .withCorsAllowedOrigins(config.corsAllowedOrigins()), hlsStreams, registry);
        PemTls tls = config.loadTls();
        http.tls(tls).plainPort(config.plainHttpPort());
        routes();
        http.start();
        this.rtmp = RtmpServer.start(new InetSocketAddress(config.bindHost(), config.rtmpPort()),
                RtmpSettings.defaults(), streams, tls, config.plainRtmpPort());
        if (config.standalone()) {
            hlsStreams.guard().acceptKeys(config.playbackKeys());
            Map<String, StreamSpec> desired = new LinkedHashMap<>();
            config.streams().forEach(s -> desired.put(s.spec().name(), s.spec()));
            streams.reconcile(desired);
            agent = null;
        } else {
            agent = new NodeAgent(config.controlUrl(), credential, config.nodeId(), NodeRole.EDGE,
                    config.advertisedRtmpUrl(), config.advertisedHttpUrl(), config.capacity(), Duration.ofSeconds(2),
                    () -> new NodeLoad(ProcessLoad.cpu(), ProcessLoad.memoryBytes(), streams.statuses()),
                    desired -> {
                        nodeToken.acceptControlCalls(desired.controlTokenSha256());
                        hlsStreams.guard().acceptKeys(desired.acceptedPlaybackKeys());
                        streams.reconcile(desired);
                    });
            agent.start();
        }
        log.info("edge {} up: RTMP {} HTTP {} ({})", config.nodeId(), rtmp.port(), http.port(),
                config.standalone() ? "standalone" : "cluster, control API " + config.controlUrl());
    }

    public static EdgeNode start(NodeConfig config) throws InterruptedException {
        return start(config, PublishGuardSettings.defaults());
    }

    static EdgeNode start(NodeConfig config, PublishGuardSettings guard) throws InterruptedException {
        return new EdgeNode(config, Clock.systemUTC(), guard);
    }

    private void routes() {
        http.route(HttpMethod.GET, "/healthz", req -> ApiResponse.json(Map.of("status", "UP")));
        http.route(HttpMethod.GET, "/api/streams", req -> ApiResponse.json(streams.all().stream()
                .map(s -> {
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
                }).toList()));
        http.route(HttpMethod.POST, "/api/streams/{name}/captions", req -> {
            nodeToken.requireBearer(req);
            LiveStream s = existing(req.pathParam("name"));
            Caption body = req.bodyAs(Caption.class);
            if (body.text() == null || body.text().isBlank()) {
                throw ApiException.badRequest("text: is required");
            }
            try {
                s.captions().post(body.text());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("text: " + e.getMessage());
            }
            return ApiResponse.json(202, Map.of("stream", s.spec().name(), "accepted", true));
        });
        http.route(HttpMethod.POST, "/api/agent/heartbeat-now", req -> {
            nodeToken.requireBearer(req);
            if (agent == null) {
                throw new ApiException(409, "this edge runs standalone; there is no control API to ask");
            }
            agent.beatSoon();
            return ApiResponse.json(202, Map.of("queued", true));
        });
        http.route(HttpMethod.PUT, "/api/streams/{name}", req -> {
            nodeToken.requireBearer(req);
            if (!config.standalone()) {
                throw new ApiException(409, "this edge is managed by the control API; change the stream there");
            }
            LiveStream s = existing(req.pathParam("name"));
            StreamSpec next = req.bodyAs(StreamSpec.class).validated();
            if (!next.name().equals(s.spec().name())) {
                throw ApiException.badRequest("name: cannot be changed");
            }
            streams.ensure(s.id, next);
            return ApiResponse.json(Map.of("name", next.name(), "state", streams.get(next.name()).state()));
        });
    }

    /** Request body of the captions route. */
    record Caption(String text) {
    }

    private LiveStream existing(String name) {
        LiveStream s = streams.get(name);
        if (s == null) {
            throw ApiException.notFound("no stream named " + name + " on this edge");
        }
        return s;
    }

    public int rtmpPort() {
        return rtmp.port();
    }

    public int httpPort() {
        return http.port();
    }

    EdgeStreams streams() {
        return streams;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    List<String> streamNames() {
        return streams.all().stream().map(s -> s.spec().name()).toList();
    }

    @Override
    public void close() {
        if (agent != null) {
            agent.close();
        }
        rtmp.close();
        streams.close();
        http.close();
        registry.close();
    }
}
