package com.streamloom.media.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters of a {@link StreamProcessor}: each written by one pipeline thread (or a queue's drop callback, under
 * that queue's lock), read by anyone.
 */
final class PipelineCounters {
    volatile long packetsIn;
    volatile long framesDecoded;
    volatile long framesEncoded;
    volatile long framesDroppedByStages;
    volatile long framesDroppedByRate;
    volatile long videoPacketsSkipped;
    volatile long audioPacketsOut;
    volatile long stageErrors;
    volatile long discontinuities;
    volatile long framesDroppedBeforeStages;
    volatile long framesDroppedBeforeEncode;
    /** Written by all three threads. */
    final AtomicLong processingErrors = new AtomicLong();
}
