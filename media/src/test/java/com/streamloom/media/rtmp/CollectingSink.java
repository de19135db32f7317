package com.streamloom.media.rtmp;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;

import java.util.ArrayList;
import java.util.List;

/** A sink that keeps what it gets, for assertions; thread-safe because real servers call it from event loops. */
final class CollectingSink implements MediaSink {
    private final List<MediaPacket> packets = new ArrayList<>();
    private final List<String> endReasons = new ArrayList<>();

    @Override
    public synchronized void accept(MediaPacket packet) {
        packets.add(packet);
    }

    @Override
    public synchronized void end(String reason) {
        endReasons.add(reason);
    }

    synchronized List<MediaPacket> packets() {
        return new ArrayList<>(packets);
    }

    synchronized List<String> endReasons() {
        return new ArrayList<>(endReasons);
    }
}
