package com.streamloom.node.runtime;

import com.streamloom.spec.node.DesiredState;
import com.streamloom.spec.node.PipelineStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.List;

/**
 * What a started node of any kind offers its process and its tests: its ports, its metrics, its status, a way to
 * apply a desired state by hand, and close. A kind's node class is this plus its plug-in.
 */
public abstract class RunningNode<S> implements AutoCloseable {
    protected final MediaNode<S> node;

    protected RunningNode(MediaNode<S> node) {
        this.node = node;
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

    /** Applies a control API answer as a heartbeat would (for tests that drive the node by hand). */
    public void apply(DesiredState desired) {
        node.apply(desired);
    }

    /** What the next heartbeat reports, failed entries included. */
    public List<PipelineStatus> statuses() {
        return node.reconciler().statuses();
    }

    @Override
    public void close() {
        node.close();
    }
}
