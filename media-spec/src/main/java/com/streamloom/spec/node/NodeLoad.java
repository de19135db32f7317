package com.streamloom.spec.node;

import java.util.List;

/**
 * A node's load: process CPU share (0..1 of the whole machine), resident memory, each pipeline's status, and the
 * memory its outputs' HLS windows hold against the node's budget for them (placement counts each stream's share of
 * that budget; 0 for both from a node that does not report them).
 *
 * @param hlsMemoryBytes       bytes the node's HLS windows hold now
 * @param hlsMemoryBudgetBytes what they may hold together ({@code media.hlsMemoryBytes}); 0: not reported
 */
public record NodeLoad(double cpu, long memoryBytes, List<PipelineStatus> pipelines, long hlsMemoryBytes,
                       long hlsMemoryBudgetBytes) {

    /** A load without HLS memory figures (a node that does not report them). */
    public NodeLoad(double cpu, long memoryBytes, List<PipelineStatus> pipelines) {
        this(cpu, memoryBytes, pipelines, 0, 0);
    }
}
