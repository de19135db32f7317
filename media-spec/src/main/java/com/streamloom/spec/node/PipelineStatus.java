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
 */
public record PipelineStatus(String id, String kind, String state, double fps, double latencyP99Ms, long drops,
                             String error) {
}
