package com.streamloom.media.pipeline;

import com.streamloom.media.codec.VideoEncoder;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The encoding thread's work: frames are encoded, audio and video leave through the {@link AvInterleaver}, and the
 * end of a source reaches the output ({@code end(reason)}, a discontinuity) after everything before it; the next
 * source starts with an IDR and its own segment boundaries. Each encoded video packet's latency is
 * {@code now - arrival} of the source packet with the same pts (x264 with zerolatency and no B-frames keeps pts).
 * Each picture is shown, borrowed, to the picture consumer (the output's thumbnail) just before it is encoded.
 */
final class Encoding {
    private final VideoEncoder encoder;
    private final MediaSink output;
    private final Consumer<VideoFrame> pictures;
    private final AvInterleaver interleaver;
    private final ArrivalTimes arrivals;
    private final PipelineCounters counters;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final List<LongConsumer> latencyListeners = new CopyOnWriteArrayList<>();
    private final Consumer<MediaPacket> emitVideo = this::emitVideo;

    Encoding(VideoEncoder encoder, MediaSink output, Consumer<VideoFrame> pictures, ArrivalTimes arrivals,
             PipelineCounters counters) {
        this.encoder = encoder;
        this.output = output;
        this.pictures = pictures;
        this.interleaver = new AvInterleaver(output, counters);
        this.arrivals = arrivals;
        this.counters = counters;
    }

    LatencyHistogram latency() {
        return latency;
    }

    void addLatencyListener(LongConsumer listener) {
        latencyListeners.add(listener);
    }

    void removeLatencyListener(LongConsumer listener) {
        latencyListeners.remove(listener);
    }

    /** One item from the stage thread. */
    void handle(Object item) {
        if (item instanceof VideoFrame f) {
            try {
                pictures.accept(f);
                encoder.encode(f, emitVideo);
                counters.framesEncoded = encoder.framesEncoded();
            } finally {
                f.close();
            }
        } else if (item instanceof MediaPacket audio) {
            interleaver.audio(audio);
        } else if (item == Decoding.VideoSource.MARK) {
            interleaver.sourceHasVideo();
        } else if (item instanceof Decoding.SourceEnd end) {
            interleaver.endSource();
            counters.discontinuities++;
            output.end(end.reason());
            // The next publisher starts a new HLS segment: an IDR on its first frame, boundaries from its time.
            encoder.keyframePolicy().reset();
            encoder.forceKeyframe();
        }
    }

    private void emitVideo(MediaPacket p) {
        if (!p.config()) {
            long arrival = arrivals.take(p.ptsMicros());   // also forgets frames dropped on the way
            if (arrival != Long.MIN_VALUE) {
                long nanos = System.nanoTime() - arrival;
                latency.recordNanos(nanos);
                for (LongConsumer l : latencyListeners) {
                    l.accept(nanos);
                }
            }
        }
        interleaver.video(p);
    }

    /** Frees the encoder; the encoding thread calls it on its way out. */
    void release() {
        encoder.close();
    }
}
