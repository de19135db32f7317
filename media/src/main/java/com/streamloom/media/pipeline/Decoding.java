package com.streamloom.media.pipeline;

import com.streamloom.media.codec.AudioTranscoder;
import com.streamloom.media.codec.VideoDecoder;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.SourceRetimer;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * The decoding thread's work: each input packet is placed on the output clock ({@link SourceRetimer}: a new
 * publisher continues right after what the last one produced), video is decoded and passed through the
 * {@link FrameRateGate}, audio is copied, re-encoded or dropped per the encoding's audio mode, and everything goes
 * to the stage thread in order. After a dropped video packet video is skipped until the next keyframe (the
 * reference chain is broken). The end of a source drains the decoder and passes an end marker on.
 */
final class Decoding {
    /** A packet from ingest with its arrival time, or the end of the source ({@code packet} null). */
    record Input(MediaPacket packet, long arrivalNanos, String endReason) {
    }

    /** The current source has a video track: the encoding thread holds audio for video from now on. */
    enum VideoSource { MARK }

    /** The source ended: the encoding thread flushes audio and tells the output, after everything before it. */
    record SourceEnd(String reason) {
    }

    private final String name;
    private final Clock clock;
    private final String audioMode;
    private final VideoDecoder decoder;
    private final AudioTranscoder audioTranscoder;
    private final Handoff<Object> toStages;
    private final ArrivalTimes arrivals;
    private final PipelineCounters counters;
    private final FrameRateGate gate;
    private final SourceRetimer retimer = SourceRetimer.keepingFirstSource();
    private final Consumer<VideoFrame> onFrame = this::onFrame;
    private final Consumer<MediaPacket> audioOut;
    private volatile boolean videoGap;
    private boolean videoAnnounced;
    private long frameIndex;

    /** @param audioMode copy, aac or none ({@code EncodingSpec.audio()}) */
    Decoding(String name, Clock clock, String audioMode, Integer maxFps, VideoDecoder decoder,
             AudioTranscoder audioTranscoder, Handoff<Object> toStages, ArrivalTimes arrivals,
             PipelineCounters counters) {
        this.name = name;
        this.clock = clock;
        this.audioMode = audioMode == null ? "copy" : audioMode;
        this.decoder = decoder;
        this.audioTranscoder = audioTranscoder;
        this.toStages = toStages;
        this.arrivals = arrivals;
        this.counters = counters;
        this.gate = new FrameRateGate(maxFps);
        this.audioOut = toStages::send;
    }

    /** A video packet was dropped before decoding: skip video until the next keyframe. Any thread. */
    void videoGap() {
        videoGap = true;
    }

    double fps() {
        return gate.fps();
    }

    void handle(Input in) {
        if (in.endReason() != null) {
            handleEnd(in.endReason());
            return;
        }
        counters.packetsIn++;
        MediaPacket p = retimer.retime(in.packet());
        if (!p.config()) {
            retimer.extendTo(Math.max(p.ptsMicros(), p.dtsMicros()) + gate.frameIntervalMicros());
        }
        if (p.isVideo()) {
            handleVideo(p, in.arrivalNanos());
        } else {
            handleAudio(p);
        }
    }

    private void handleVideo(MediaPacket p, long arrivalNanos) {
        if (p.config()) {
            if (!videoAnnounced) {
                videoAnnounced = true;
                toStages.send(VideoSource.MARK);
            }
        } else if (videoGap) {
            if (!p.keyframe()) {
                counters.videoPacketsSkipped++;
                return;
            }
            videoGap = false;
        }
        if (!p.config()) {
            arrivals.put(p.ptsMicros(), arrivalNanos);
        }
        decoder.decode(p, onFrame);
        counters.framesDecoded = decoder.framesDecoded();
    }

    private void handleAudio(MediaPacket p) {
        switch (audioMode) {
            case "none" -> {
            }
            case "aac" -> audioTranscoder.transcode(p, audioOut);
            default -> toStages.send(p);
        }
    }

    private void handleEnd(String reason) {
        decoder.flush(onFrame);
        counters.framesDecoded = decoder.framesDecoded();
        if (audioTranscoder != null) {
            audioTranscoder.flush(audioOut);
        }
        toStages.send(new SourceEnd(reason));
        retimer.newSource();
        videoAnnounced = false;
        videoGap = false;
        gate.newSource();
    }

    private void onFrame(VideoFrame frame) {
        long pts = frame.ptsMicros();
        if (!gate.admit(pts)) {
            counters.framesDroppedByRate++;
            frame.close();
            return;
        }
        toStages.send(new StagedFrame(frame, new FrameContext(name, clock, frameIndex++, gate.fps())));
    }

    String pictureRefusal() {
        return decoder.refusal();
    }

    long corruptPackets() {
        return decoder.corruptPackets() + (audioTranscoder == null ? 0 : audioTranscoder.corruptPackets());
    }

    /** Frees the codecs; the decoding thread calls it on its way out. */
    void release() {
        decoder.close();
        if (audioTranscoder != null) {
            audioTranscoder.close();
        }
    }
}
