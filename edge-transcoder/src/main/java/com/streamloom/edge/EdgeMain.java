package com.streamloom.edge;

import com.streamloom.node.NodeLauncher;

/**
 * {@code java -jar edge-transcoder.jar [--config edge.json]}. Without a control URL (file or
 * STREAMLOOM_CONTROL_URL) the edge runs standalone from its config file. A config error is reported with the field
 * that is wrong and exit code 2.
 */
public final class EdgeMain {
    private EdgeMain() {
    }

    public static void main(String[] args) throws Exception {
        NodeLauncher.run("edge-transcoder", args, 1935, 8081, EdgeNode::start);
    }
}
