package com.streamloom.compositor;

import com.streamloom.node.NodeLauncher;

/**
 * {@code java -jar cloud-compositor.jar [--config compositor.json]}. Without a control URL (file or
 * STREAMLOOM_CONTROL_URL) the compositor runs the {@code compositions} of its config file; with one it registers
 * as a COMPOSITOR node and runs what the control API assigns. A config error exits with code 2.
 */
public final class CompositorMain {
    private CompositorMain() {
    }

    public static void main(String[] args) throws Exception {
        NodeLauncher.run("cloud-compositor", args, CompositorNode.DEFAULT_RTMP_PORT, CompositorNode.DEFAULT_HTTP_PORT,
                CompositorNode::start);
    }
}
