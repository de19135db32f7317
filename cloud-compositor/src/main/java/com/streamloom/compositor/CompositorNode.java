package com.streamloom.compositor;

import com.streamloom.node.NodeConfig;
import com.streamloom.node.runtime.MediaNode;
import com.streamloom.node.runtime.NodeContext;
import com.streamloom.node.runtime.NodeEntries;
import com.streamloom.node.runtime.NodePlugin;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.PlaybackToken;
import com.streamloom.spec.node.DesiredState;
import com.streamloom.spec.node.NodeRole;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;

/**
 * The compositor: the node runtime ({@link MediaNode}) with the compositor's plug-in, whose entries are the
 * compositions ({@link Compositions}). RTMP ingest of input streams on {@code rtmpPort} (1936 by default), HTTP on
 * {@code httpPort} (8082). RTMP publish rules: see {@link Compositions}.
 */
public final class CompositorNode implements AutoCloseable {
    public static final int DEFAULT_RTMP_PORT = 1936;
    public static final int DEFAULT_HTTP_PORT = 8082;

    private final MediaNode<CompositionSpec> node;

    private CompositorNode(MediaNode<CompositionSpec> node) {
        this.node = node;
    }

    /** Starts a compositor node; close it to stop. */
    public static CompositorNode start(NodeConfig config) throws InterruptedException {
        return new CompositorNode(MediaNode.start(config, Clock.systemUTC(), new Plugin()));
    }

    /** The compositor's part: its role, and compositions fed by the edges' forwards. */
    private record Plugin() implements NodePlugin<CompositionSpec> {
        @Override
        public NodeRole role() {
            return NodeRole.COMPOSITOR;
        }

        @Override
        public PlaybackToken.Kind playbackKind() {
            return PlaybackToken.Kind.COMPOSITION;
        }

        @Override
        public NodeEntries<CompositionSpec> entries(NodeContext ctx) {
            return new Compositions(ctx.hls(), ctx.registry(), ctx.clock(), ctx.nodeToken());
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

    public PrometheusMeterRegistry registry() {
        return node.registry();
    }

    Compositions compositions() {
        return (Compositions) node.entries();
    }

    @Override
    public void close() {
        node.close();
    }
}
