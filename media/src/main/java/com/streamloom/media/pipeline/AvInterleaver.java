package com.streamloom.media.pipeline;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;

import java.util.ArrayDeque;

/**
 * A/V interleaving on the encoding thread: audio keeps its timestamps and is released to the output only once video
 * has been emitted up to its time, so the output is interleaved by timestamp as a muxer expects. Audio is never held
 * more than {@link #AUDIO_HOLD_MICROS} behind stalled video, nor more than {@link #MAX_PENDING_AUDIO} packets; a
 * source without video releases audio at once.
 */
final class AvInterleaver {
    /** Longest time audio waits for video before it is released anyway (a video stall, an audio-only source). */
    static final long AUDIO_HOLD_MICROS = 1_000_000;
    private static final int MAX_PENDING_AUDIO = 512;

    private final MediaSink output;
    private final PipelineCounters counters;
    private final ArrayDeque<MediaPacket> pendingAudio = new ArrayDeque<>();
    private boolean sourceHasVideo;
    private long lastVideoOutDts = Long.MIN_VALUE;

    AvInterleaver(MediaSink output, PipelineCounters counters) {
        this.output = output;
        this.counters = counters;
    }

    /** The current source has a video track: audio waits for video from now on. */
    void sourceHasVideo() {
        sourceHasVideo = true;
    }

    /** Emits an encoded video packet and the audio it was holding back. */
    void video(MediaPacket p) {
        if (!p.config()) {
            lastVideoOutDts = p.dtsMicros();
        }
        output.accept(p);
        releaseAudio(lastVideoOutDts);
    }

    void audio(MediaPacket p) {
        pendingAudio.addLast(p);
        if (!sourceHasVideo) {
            releaseAudio(Long.MAX_VALUE);
        } else {
            releaseAudio(Math.max(lastVideoOutDts, p.dtsMicros() - AUDIO_HOLD_MICROS));
            while (pendingAudio.size() > MAX_PENDING_AUDIO) {
                emitAudio(pendingAudio.pollFirst());
            }
        }
    }

    /** The source ended: every held audio packet goes out; the next source may have no video. */
    void endSource() {
        releaseAudio(Long.MAX_VALUE);
        sourceHasVideo = false;
    }

    private void releaseAudio(long upToDts) {
        while (!pendingAudio.isEmpty() && pendingAudio.peekFirst().dtsMicros() <= upToDts) {
            emitAudio(pendingAudio.pollFirst());
        }
    }

    private void emitAudio(MediaPacket p) {
        if (!p.config()) {
            counters.audioPacketsOut++;
        }
        output.accept(p);
    }
}
