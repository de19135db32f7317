package com.streamloom.media.pipeline;

import com.streamloom.media.frame.VideoFrame;

/**
 * One step of the per-frame pipeline with one job (blur, grayscale, a text overlay, ...).
 *
 * <p>Modelled on jitsi-videobridge's {@code Node}: the base class counts frames in, out and dropped and the time
 * spent, so no stage can forget its statistics. Named {@code FrameStage} because JavaCV already has a
 * {@code FrameFilter}.
 *
 * <p>Contract of {@link #process}: it may change the frame in place and return it, return a different frame (and
 * then close the one it received), or return {@code null} to drop the frame (and then close it). Stages run on the
 * stream's processing thread only, so they need no locking of their own state; {@link #close()} frees any native
 * state (Mats, cascades, filter graphs).
 */
public abstract class FrameStage implements AutoCloseable {
    private final String name;
    private final StageStats stats = new StageStats();

    protected FrameStage(String name) {
        this.name = name;
    }

    public final String name() {
        return name;
    }

    public final StageStats stats() {
        return stats;
    }

    /** Runs the stage on one frame, timing it; returns the frame to pass on, or null if it was dropped. */
    public final VideoFrame apply(VideoFrame frame, FrameContext context) {
        long start = System.nanoTime();
        VideoFrame out = process(frame, context);
        stats.record(System.nanoTime() - start, out != null);
        return out;
    }

    protected abstract VideoFrame process(VideoFrame frame, FrameContext context);

    @Override
    public void close() {
    }
}
