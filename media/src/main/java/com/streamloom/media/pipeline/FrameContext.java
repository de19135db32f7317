package com.streamloom.media.pipeline;

import java.time.Clock;

/**
 * What a stage may know about the stream besides the pixels: its name, the injected wall clock (so time-based
 * stages are tested without sleeping), the index of the frame and the measured input frame rate.
 */
public record FrameContext(String streamName, Clock clock, long frameIndex, double fps) {
}
