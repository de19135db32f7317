package com.streamloom.node.runtime;

import com.streamloom.media.hls.DiscontinuityStore;
import com.streamloom.media.hls.HlsMemoryBudget;
import com.streamloom.media.hls.HlsStreams;
import com.streamloom.media.rtmp.RtmpServer;
import com.streamloom.media.thumbnail.Thumbnails;
import com.streamloom.media.tls.PemTls;
import com.streamloom.node.NodeConfig;
import com.streamloom.node.NodeMetrics;
import com.streamloom.node.NodeToken;
import com.streamloom.node.agent.NodeAgent;
import com.streamloom.node.agent.NodeCredential;
import com.streamloom.node.agent.ProcessLoad;
import com.streamloom.node.http.ApiException;
import com.streamloom.node.http.ApiResponse;
import com.streamloom.node.http.MediaHttpServer;
import com.streamloom.node.runtime.NodeEntries.Desired;
import com.streamloom.spec.node.DesiredState;
import com.streamloom.spec.node.NodeLoad;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A media node's composition root, whatever its kind: the entries of its {@link NodePlugin}, kept equal to the
 * desired set by one {@link Reconciler}; RTMP ingest on {@code rtmpPort}; HTTP on {@code httpPort} (HLS, the player
 * page, /metrics and the node API); and in cluster mode the {@link NodeAgent} whose heartbeat answer is the
 * desired set. Standalone, the desired set is the config file.
 *
 * <p>Node API (JSON), the same on every kind: {@code GET /healthz}; {@code GET /api/streams} (public: each
 * entry's name, state, playback URL and error, failed ones included; never a key); {@code POST
 * /api/agent/heartbeat-now} (the control API, with its per-node token: heartbeat at once) and, standalone only,
 * {@code PUT /api/<kind>s/{name}} with a spec, applied live where it can be. Both writes need
 * {@code Authorization: Bearer}; a kind adds its own routes ({@link NodeEntries#addRoutes}).
 */
public final class MediaNode<S> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaNode.class);
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(2);

    private final NodeConfig config;
    private final PrometheusMeterRegistry registry = NodeMetrics.newRegistry();
    private final NodeToken nodeToken;
    private final HlsStreams hlsStreams;
    private final EntryKind<S> kind;
    private final NodeEntries<S> entries;
    private final Reconciler<S> reconciler;
    private final MediaHttpServer http;
    private final RtmpServer rtmp;
    private final NodeAgent agent;

    private MediaNode(NodeConfig config, Clock clock, NodePlugin<S> plugin) throws InterruptedException {
        this.config = config;
        this.nodeToken = new NodeToken(config.nodeToken(), !config.standalone());
        HlsMemoryBudget hlsBudget = new HlsMemoryBudget(config.mediaLimits().hlsBudgetBytes());
        this.hlsStreams = new HlsStreams(plugin.playbackKind(), clock, hlsBudget,
                new DiscontinuityStore(config.hlsStateDirectory()),
                new Thumbnails(clock, config.mediaLimits().thumbnailInterval()));
        NodeMetrics.bindHlsBudget(registry, hlsBudget);
        // in a cluster, one credential of this node's own for its heartbeats and the kind's calls
        NodeCredential credential = config.standalone() ? null : new NodeCredential(config.controlUrl(),
                config.nodeId(), config.nodeToken(), Path.of(config.credentialFile()));
        this.kind = plugin.kind();
        this.entries = plugin.entries().apply(new NodeContext(config, clock, registry, hlsStreams, nodeToken, credential));
        this.reconciler = new Reconciler<>(entries, kind.name(), clock);
        this.http = new MediaHttpServer(config.httpSettings(), hlsStreams, registry);
        PemTls tls = config.loadTls();
        http.tls(tls).plainPort(config.plainHttpPort());
        routes();
        entries.addRoutes(http);
        http.start();
        try {
            this.rtmp = RtmpServer.start(new InetSocketAddress(config.bindHost(), config.rtmpPort()),
                    config.rtmpSettings(), entries, tls, config.plainRtmpPort(), registry);
        } catch (InterruptedException | RuntimeException e) {
            http.close();
            throw e;
        }
        if (config.standalone()) {
            hlsStreams.guard().acceptKeys(config.playbackKeys());
            reconciler.apply(entries.fromConfig(config));
            agent = null;
        } else {
            agent = new NodeAgent(config.controlUrl(), credential, config.nodeId(), plugin.role(),
                    config.advertisedRtmpUrl(), config.advertisedHttpUrl(), config.capacity(), HEARTBEAT_INTERVAL,
                    () -> new NodeLoad(ProcessLoad.cpu(), ProcessLoad.memoryBytes(), reconciler.statuses(),
                            hlsBudget.bytes(), hlsBudget.limitBytes()),
                    this::apply, clock);
            agent.start();
        }
        log.info("{} {} up: RTMP {} HTTP {} ({})", plugin.role().name().toLowerCase(java.util.Locale.ROOT),
                config.nodeId(), rtmp.port(), http.port(),
                config.standalone() ? "standalone" : "cluster, control API " + config.controlUrl());
    }

    /** Starts a node of the plug-in's kind; close it to stop. */
    public static <S> MediaNode<S> start(NodeConfig config, Clock clock, NodePlugin<S> plugin)
            throws InterruptedException {
        return new MediaNode<>(config, clock, plugin);
    }

    /** Applies a control API answer: the control API's token and playback keys, then the entries. */
    public void apply(DesiredState desired) {
        nodeToken.acceptControlCalls(desired.controlTokenSha256());
        hlsStreams.guard().acceptKeys(desired.acceptedPlaybackKeys());
        reconciler.apply(entries.fromControl(desired));
    }

    private void routes() {
        http.route(HttpMethod.GET, "/healthz", req -> ApiResponse.json(Map.of("status", "UP")));
        http.route(HttpMethod.GET, "/api/streams", req -> ApiResponse.json(publicList()));
        http.route(HttpMethod.POST, "/api/agent/heartbeat-now", req -> {
            nodeToken.requireBearer(req);
            if (agent == null) {
                throw new ApiException(409, "this node runs standalone; there is no control API to ask");
            }
            agent.beatSoon();
            return ApiResponse.json(202, Map.of("queued", true));
        });
        http.route(HttpMethod.PUT, "/api/" + kind.name() + "s/{name}", req -> {
            nodeToken.requireBearer(req);
            if (!config.standalone()) {
                throw new ApiException(409, "this node is managed by the control API; change the "
                        + kind.name() + " there");
            }
            String name = req.pathParam("name");
            if (!entries.names().contains(name) && reconciler.failure(name) == null) {
                throw ApiException.notFound("no " + kind.name() + " named " + name + " on this node");
            }
            S next = req.bodyAs(kind.specType());
            if (!name.equals(kind.nameOf().apply(next))) {
                throw ApiException.badRequest("name: cannot be changed");
            }
            NodeEntries.Applied applied;
            try {
                applied = reconciler.applyOne(new Desired<>(name, name, next));
            } catch (ApiException e) {
                throw e;
            } catch (RuntimeException e) {
                throw ApiException.badRequest(Reconciler.reason(e));
            }
            return ApiResponse.json(Map.of("name", name, "applied", applied.name().toLowerCase(java.util.Locale.ROOT),
                    "rebuilt", applied == NodeEntries.Applied.REBUILT));
        });
    }

    /** The public list: each running entry as its kind describes it, and each desired one that failed to build. */
    private List<Map<String, Object>> publicList() {
        List<Map<String, Object>> list = new ArrayList<>(entries.describe());
        reconciler.failedNotRunning().forEach((name, reason) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("state", "failed");
            m.put("error", reason);
            list.add(m);
        });
        return list;
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

    public NodeEntries<S> entries() {
        return entries;
    }

    public Reconciler<S> reconciler() {
        return reconciler;
    }

    public MediaHttpServer http() {
        return http;
    }

    public NodeToken nodeToken() {
        return nodeToken;
    }

    /** The heartbeat agent; null standalone. */
    public NodeAgent agent() {
        return agent;
    }

    @Override
    public void close() {
        if (agent != null) {
            agent.close();
        }
        rtmp.close();
        entries.close();
        http.close();
        registry.close();
    }
}
