package com.streamloom.spec.node;

import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.StreamSpec;

import java.util.List;

/**
 * The answer to a heartbeat: everything this node should be running now. The agent starts what is missing, updates
 * what changed (a changed stage list is applied live) and stops the rest.
 *
 * @param version       increases whenever the node's assignment changes
 * @param streams       streams (edge) with the spec to run; {@code spec.output().forwardUrls()} are where to push
 * @param compositions  compositions (compositor)
 */
public record DesiredState(long version, List<StreamAssignment> streams, List<CompositionAssignment> compositions) {

    /** A stream to run; {@code id} is the control API's id, {@code spec.name()} names the HLS path. */
    public record StreamAssignment(String id, StreamSpec spec) {
    }

    /** A composition to run. */
    public record CompositionAssignment(String id, CompositionSpec spec) {
    }
}
