package com.streamloom.spec.node;

/**
 * What a node reports about one pipeline it runs.
 *
 * @param id           stream or composition id as assigned by the control API (or the local name)
 * @param kind         stream | composition
 * @param state        starting | live | waiting (push stream without publisher) | reconnecting | failed
 * @param fps          output frames per second over the last seconds
 * @param latencyP99Ms per-frame pipeline latency (packet in to encoded packet out), 99th percentile
 * @param drops        frames dropped since the pipeline started (bounded queues drop instead of growing)
 * @param error        last error, human readable, or null
 * @param since        when the pipeline entered this state (ISO-8601 UTC), or null when the node does not know
 */
public record PipelineStatus(String id, String kind, String state, double fps, double latencyP99Ms, long drops,
                             String error, String since) {

    /** A status whose start the caller does not track; the node runtime stamps it. */
    public PipelineStatus(String id, String kind, String state, double fps, double latencyP99Ms, long drops,
                          String error) {
        this(id, kind, state, fps, latencyP99Ms, drops, error, null);
    }

    /** The same status, stamped with when its state began. */
    public PipelineStatus since(String isoInstant) {
        return new PipelineStatus(id, kind, state, fps, latencyP99Ms, drops, error, isoInstant);
    }

    /** The same status with another error text. */
    public PipelineStatus withError(String text) {
        return new PipelineStatus(id, kind, state, fps, latencyP99Ms, drops, text, since);
    }
}
