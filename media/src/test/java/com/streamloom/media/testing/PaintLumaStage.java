package com.streamloom.media.testing;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import com.streamloom.media.pipeline.FrameStage;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test stage that sets the luma of a rectangle (the whole picture by default) to one value, records the pts of
 * every frame it saw and the thread that closed it, and can be made slow.
 */
public final class PaintLumaStage extends FrameStage {
    public final List<Long> seenPts = new CopyOnWriteArrayList<>();
    private final int value;
    private final int boxWidth;
    private final int boxHeight;
    private final long sleepMillis;
    public volatile String closedOnThread;

    public PaintLumaStage(String name, int value) {
        this(name, value, Integer.MAX_VALUE, Integer.MAX_VALUE, 0);
    }

    public PaintLumaStage(String name, int value, int boxWidth, int boxHeight, long sleepMillis) {
        super(name);
        this.value = value;
        this.boxWidth = boxWidth;
        this.boxHeight = boxHeight;
        this.sleepMillis = sleepMillis;
    }

    @Override
    protected VideoFrame process(VideoFrame frame, FrameContext context) {
        seenPts.add(frame.ptsMicros());
        frame.makeWritable();
        int w = Math.min(boxWidth, frame.width());
        int h = Math.min(boxHeight, frame.height());
        try (org.bytedeco.opencv.opencv_core.Mat roi = frame.y().apply(new org.bytedeco.opencv.opencv_core.Rect(0, 0, w, h))) {
            roi.put(new org.bytedeco.opencv.opencv_core.Scalar(value));
        }
        if (sleepMillis > 0) {
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return frame;
    }

    @Override
    public void close() {
        closedOnThread = Thread.currentThread().getName();
    }
}
