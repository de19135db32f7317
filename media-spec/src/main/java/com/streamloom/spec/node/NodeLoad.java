package com.streamloom.spec.node;

import java.util.List;

/** A node's load: process CPU share (0..1 of the whole machine), resident memory, and each pipeline's status. */
public record NodeLoad(double cpu, long memoryBytes, List<PipelineStatus> pipelines) {
}
