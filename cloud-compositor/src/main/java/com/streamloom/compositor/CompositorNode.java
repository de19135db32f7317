package com.streamloom.compositor;

import com.streamloom.node.NodeConfig;
import com.streamloom.node.runtime.MediaNode;
import com.streamloom.node.runtime.EntryKind;
import com.streamloom.node.runtime.NodePlugin;
import com.streamloom.node.runtime.RunningNode;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.PlaybackToken;
import com.streamloom.spec.node.NodeRole;

import java.time.Clock;

/**
 * The compositor: the node runtime ({@link MediaNode}) with the compositor's plug-in, whose entries are the
 * compositions ({@link Compositions}). RTMP ingest of input streams on {@code rtmpPort} (1936 by default), HTTP on
 * {@code httpPort} (8082). RTMP publish rules: see {@link Compositions}.
 */
public final class CompositorNode extends RunningNode<CompositionSpec> {
    public static final int DEFAULT_RTMP_PORT = 1936;
    public static final int DEFAULT_HTTP_PORT = 8082;

    private CompositorNode(MediaNode<CompositionSpec> node) {
        super(node);
    }

    /** Starts a compositor node; close it to stop. */
    public static CompositorNode start(NodeConfig config) throws InterruptedException {
        return new CompositorNode(MediaNode.start(config, Clock.systemUTC(), PLUGIN));
    }

    /** The compositor's part: compositions fed by the edges' forwards. */
    private static final NodePlugin<CompositionSpec> PLUGIN = new NodePlugin<>(NodeRole.COMPOSITOR,
            PlaybackToken.Kind.COMPOSITION, new EntryKind<>("composition", CompositionSpec.class, CompositionSpec::name),
            ctx -> new Compositions(ctx.hls(), ctx.registry(), ctx.clock(), ctx.nodeToken(),
                    ctx.config().mediaLimits().pictureLimit()));

    Compositions compositions() {
        return (Compositions) node.entries();
    }
}
