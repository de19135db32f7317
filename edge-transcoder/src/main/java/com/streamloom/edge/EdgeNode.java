package com.streamloom.edge;

import com.streamloom.node.NodeConfig;
import com.streamloom.node.runtime.MediaNode;
import com.streamloom.node.runtime.NodeContext;
import com.streamloom.node.runtime.NodeEntries;
import com.streamloom.node.runtime.NodePlugin;
import com.streamloom.spec.PlaybackToken;
import com.streamloom.spec.StreamSpec;
import com.streamloom.spec.node.DesiredState;
import com.streamloom.spec.node.NodeRole;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.util.List;

/**
 * The edge: the node runtime ({@link MediaNode}) with the edge's plug-in, whose entries are the streams
 * ({@link EdgeStreams}): RTMP publishers let in by stream key (the config file's keys standalone, the control API's
 * key check in a cluster, with a back-off per address for wrong keys), pulls, one pipeline per stream, HLS, forwards
 * to compositors, and the captions route {@code POST /api/streams/{name}/captions}.
 */
public final class EdgeNode implements AutoCloseable {
    private final MediaNode<StreamSpec> node;

    private EdgeNode(MediaNode<StreamSpec> node) {
        this.node = node;
    }

    public static EdgeNode start(NodeConfig config) throws InterruptedException {
        return start(config, PublishGuardSettings.defaults());
    }

    static EdgeNode start(NodeConfig config, PublishGuardSettings guard) throws InterruptedException {
        return new EdgeNode(MediaNode.start(config, Clock.systemUTC(), new Plugin(guard)));
    }

    /** The edge's part: its role, and streams whose publishers pass the key check and the per-address back-off. */
    private record Plugin(PublishGuardSettings guard) implements NodePlugin<StreamSpec> {
        @Override
        public NodeRole role() {
            return NodeRole.EDGE;
        }

        @Override
        public PlaybackToken.Kind playbackKind() {
            return PlaybackToken.Kind.STREAM;
        }

        @Override
        public NodeEntries<StreamSpec> entries(NodeContext ctx) {
            NodeConfig config = ctx.config();
            KeyAuthorizer keys = config.standalone()
                    ? new StandaloneKeys(config.streams(), config.openDevMode())
                    : new ControlApiKeys(config.controlUrl(), config.nodeId(), ctx.credential(), ctx.clock(), guard);
            return new EdgeStreams(ctx.hls(), ctx.registry(), ctx.clock(), keys, config.takeoverOnRepublish(),
                    new PublishBackoff(guard, ctx.clock()), ctx.nodeToken());
        }
    }

    /** Applies a control API answer as a heartbeat would (for tests that drive the node by hand). */
    void apply(DesiredState desired) {
        node.apply(desired);
    }

    public int rtmpPort() {
        return node.rtmpPort();
    }

    public int httpPort() {
        return node.httpPort();
    }

    EdgeStreams streams() {
        return (EdgeStreams) node.entries();
    }

    public PrometheusMeterRegistry registry() {
        return node.registry();
    }

    /** What the next heartbeat reports, failed entries included. */
    List<com.streamloom.spec.node.PipelineStatus> statuses() {
        return node.reconciler().statuses();
    }

    List<String> streamNames() {
        return streams().all().stream().map(s -> s.spec().name()).toList();
    }

    @Override
    public void close() {
        node.close();
    }
}
