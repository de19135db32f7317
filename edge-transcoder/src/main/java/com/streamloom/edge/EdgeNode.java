package com.streamloom.edge;

import com.streamloom.node.NodeConfig;
import com.streamloom.node.runtime.MediaNode;
import com.streamloom.node.runtime.EntryKind;
import com.streamloom.node.runtime.NodePlugin;
import com.streamloom.node.runtime.RunningNode;
import com.streamloom.spec.PlaybackToken;
import com.streamloom.spec.StreamSpec;
import com.streamloom.spec.node.NodeRole;

import java.time.Clock;
import java.util.List;

/**
 * The edge: the node runtime ({@link MediaNode}) with the edge's plug-in, whose entries are the streams
 * ({@link EdgeStreams}): RTMP publishers let in by stream key (the config file's keys standalone, the control API's
 * key check in a cluster, with a back-off per address for wrong keys), pulls, one pipeline per stream, HLS, forwards
 * to compositors, and the captions route {@code POST /api/streams/{name}/captions}.
 */
public final class EdgeNode extends RunningNode<StreamSpec> {

    private EdgeNode(MediaNode<StreamSpec> node) {
        super(node);
    }

    public static EdgeNode start(NodeConfig config) throws InterruptedException {
        return start(config, PublishGuardSettings.defaults());
    }

    static EdgeNode start(NodeConfig config, PublishGuardSettings guard) throws InterruptedException {
        return new EdgeNode(MediaNode.start(config, Clock.systemUTC(), plugin(guard)));
    }

    /** The edge's part: streams whose publishers pass the key check and the per-address back-off. */
    private static NodePlugin<StreamSpec> plugin(PublishGuardSettings guard) {
        return new NodePlugin<>(NodeRole.EDGE, PlaybackToken.Kind.STREAM,
                new EntryKind<>("stream", StreamSpec.class, StreamSpec::name), ctx -> {
                    NodeConfig config = ctx.config();
                    KeyAuthorizer keys = config.standalone()
                            ? new StandaloneKeys(config.streams(), config.openDevMode())
                            : new ControlApiKeys(config.controlUrl(), config.nodeId(), ctx.credential(), ctx.clock(),
                                    guard);
                    return new EdgeStreams(ctx.hls(), ctx.registry(), ctx.clock(), keys,
                            config.takeoverOnRepublish(), new PublishBackoff(guard, ctx.clock()), ctx.nodeToken(),
                            config.imageAssets(), config.outbound(), config.mediaLimits().pictureLimit(),
                            config.maxStreams());
                });
    }

    EdgeStreams streams() {
        return (EdgeStreams) node.entries();
    }

    List<String> streamNames() {
        return streams().all().stream().map(s -> s.spec().name()).toList();
    }
}
