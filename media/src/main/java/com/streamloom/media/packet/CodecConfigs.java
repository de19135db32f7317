package com.streamloom.media.packet;

/**
 * The latest codec configuration of each track of a publication. RTMP sends a configuration once, at the start of a
 * publication; a receiver that joins later (a composition added mid-publication, a rebuilt pipeline) cannot decode
 * without it, so it is kept and given to each newcomer first. Not thread-safe: the owner serialises access.
 */
public final class CodecConfigs {
    private MediaPacket video;
    private MediaPacket audio;

    /** Keeps {@code packet} if it is a configuration; returns whether it was one. */
    public boolean note(MediaPacket packet) {
        if (!packet.config()) {
            return false;
        }
        if (packet.isVideo()) {
            video = packet;
        } else {
            audio = packet;
        }
        return true;
    }

    /** Gives the kept configurations to a receiver that joins now, except {@code current} (it is on its way). */
    public void replayTo(MediaSink sink, MediaPacket current) {
        if (video != null && video != current) {
            sink.accept(video);
        }
        if (audio != null && audio != current) {
            sink.accept(audio);
        }
    }
}
