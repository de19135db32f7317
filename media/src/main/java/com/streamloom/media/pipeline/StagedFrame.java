package com.streamloom.media.pipeline;

import com.streamloom.media.frame.VideoFrame;

/** A decoded frame on its way to the stages, with what the stages may know about it. */
record StagedFrame(VideoFrame frame, FrameContext context) {
}
