package com.streamloom.compositor;

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
import com.streamloom.media.tls.PemTls;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.PlaybackToken;
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
 * The compositor process's composition root: RTMP ingest of input streams on {@code rtmpPort} (1936 by
 * default), HTTP on {@code httpPort} (8082: HLS of each composition under its name, the player page, /metrics and the
 * node API), the running compositions, and in cluster mode the node agent (role COMPOSITOR) that reconciles them with
 * the control API's desired state. Standalone, the compositions come from the config file.
 *
 * <p>Node API (JSON): {@code GET /api/streams} (public: the compositions in the shape of the edge's stream list,
 * so the same player page works), {@code PUT /api/compositions/{name}} (a spec, applied live when the canvas stays;
 * standalone mode; requires {@code Authorization: Bearer <nodeToken>}; closed when no token is configured), and
 * {@code GET /healthz}. RTMP publish rules: see {@link Compositions}.
 */
public final class CompositorNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CompositorNode.class);
    public static final int DEFAULT_RTMP_PORT = 1936;
    public static final int DEFAULT_HTTP_PORT = 8082;

    private final NodeConfig config;
    private final NodeToken nodeToken;
    private final PrometheusMeterRegistry registry = NodeMetrics.newRegistry();
    private final HlsStreams hlsStreams;
    private final Compositions compositions;
    private final MediaHttpServer http;
    private final RtmpServer rtmp;
    private final NodeAgent agent;

    private CompositorNode(NodeConfig config, Clock clock) throws InterruptedException {
        this.config = config;
        this.nodeToken = new NodeToken(config.nodeToken(), !config.standalone());
        this.hlsStreams = new HlsStreams(PlaybackToken.Kind.COMPOSITION, clock);
        this.compositions = new Compositions(hlsStreams, registry, clock, nodeToken);
        this.http = new MediaHttpServer(HttpServerSettings.defaults(config.httpPort()).withHost(config.bindHost())
                        .withCorsAllowedOrigins(config.corsAllowedOrigins()),
                hlsStreams, registry);
        PemTls tls = config.loadTls();
        http.tls(tls).plainPort(config.plainHttpPort());
        routes();
        http.start();
        RtmpServer server;
        try {
            server = RtmpServer.start(new InetSocketAddress(config.bindHost(), config.rtmpPort()),
                    RtmpSettings.defaults(), compositions, tls, config.plainRtmpPort());
        } catch (InterruptedException | RuntimeException e) {
            http.close();
            throw e;
        }
        this.rtmp = server;
        if (config.standalone()) {
            hlsStreams.guard().acceptKeys(config.playbackKeys());
            Map<String, CompositionSpec> desired = new LinkedHashMap<>();
            config.compositions().forEach(c -> desired.put(c.name(), c));
            compositions.reconcile(desired);
            agent = null;
        } else {
            agent = new NodeAgent(config.controlUrl(), new NodeCredential(config.controlUrl(), config.nodeId(),
                    config.nodeToken(), Path.of(config.credentialFile())), config.nodeId(), NodeRole.COMPOSITOR,
                    config.advertisedRtmpUrl(), config.advertisedHttpUrl(), config.capacity(), Duration.ofSeconds(2),
                    () -> new NodeLoad(ProcessLoad.cpu(), ProcessLoad.memoryBytes(), compositions.statuses()),
                    desired -> {
                        nodeToken.acceptControlCalls(desired.controlTokenSha256());
                        hlsStreams.guard().acceptKeys(desired.acceptedPlaybackKeys());
                        compositions.reconcile(desired);
                    });
            agent.start();
        }
        log.info("compositor {} up: RTMP {} HTTP {} ({}){}", config.nodeId(), rtmp.port(), http.port(),
                config.standalone() ? "standalone" : "cluster, control API " + config.controlUrl(),
                nodeToken.configured() ? ", publishers need ?token=<node token>" : ", RTMP ingest open (no node token)");
    }

    /** Starts a compositor node; close it to stop. */
    public static CompositorNode start(NodeConfig config) throws InterruptedException {
        return new CompositorNode(config, Clock.systemUTC());
    }

    private void routes() {
        http.route(HttpMethod.GET, "/healthz", req -> ApiResponse.json(Map.of("status", "UP")));
        http.route(HttpMethod.GET, "/api/streams", req -> ApiResponse.json(compositions.all().stream()
                .map(c -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", c.spec().name());
                    m.put("state", c.state(compositions::isPublishing));
                    m.put("source", "composition");
                    m.put("playbackUrl", "/hls/" + c.spec().name() + "/index.m3u8");
                    m.put("playback", c.spec().output().playback());
                    m.put("fps", c.fps());
                    m.put("latencyP99Ms", c.tickMillis());
                    m.put("drops", c.drops());
                    m.put("stages", List.of());
                    m.put("layout", c.spec().layout().type());
                    m.put("inputs", c.spec().inputs().stream().map(in -> Map.of("stream", in.stream(),
                            "live", compositions.isPublishing(in.stream()))).toList());
                    m.put("error", c.error());
                    return m;
                }).toList()));
        http.route(HttpMethod.POST, "/api/agent/heartbeat-now", req -> {
            nodeToken.requireBearer(req);
            if (agent == null) {
                throw new ApiException(409, "this compositor runs standalone; there is no control API to ask");
            }
            agent.beatSoon();
            return ApiResponse.json(202, Map.of("queued", true));
        });
        http.route(HttpMethod.PUT, "/api/compositions/{name}", req -> {
            nodeToken.requireBearer(req);
            if (!config.standalone()) {
                throw new ApiException(409, "this compositor is managed by the control API; change the composition there");
            }
            LiveComposition c = compositions.get(req.pathParam("name"));
            if (c == null) {
                throw ApiException.notFound("no composition named " + req.pathParam("name") + " on this compositor");
            }
            CompositionSpec next = req.bodyAs(CompositionSpec.class).validated();
            if (!next.name().equals(c.spec().name())) {
                throw ApiException.badRequest("name: cannot be changed");
            }
            LiveComposition applied = compositions.ensure(c.id, next);
            return ApiResponse.json(Map.of("name", next.name(), "rebuilt", applied != c));
        });
    }

    public int rtmpPort() {
        return rtmp.port();
    }

    public int httpPort() {
        return http.port();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    Compositions compositions() {
        return compositions;
    }

    @Override
    public void close() {
        if (agent != null) {
            agent.close();
        }
        rtmp.close();
        compositions.close();
        http.close();
        registry.close();
    }
}
