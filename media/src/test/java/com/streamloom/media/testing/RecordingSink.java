package com.streamloom.media.testing;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A MediaSink that records everything it gets, for assertions: packets in arrival order and the reasons of
 * {@link #end}, with the index of the first packet after each end so sessions can be told apart. Thread-safe.
 */
public final class RecordingSink implements MediaSink {
    private final List<MediaPacket> packets = new ArrayList<>();
    private final List<String> endReasons = new ArrayList<>();
    private final List<Integer> endIndexes = new ArrayList<>();

    @Override
    public synchronized void accept(MediaPacket packet) {
        packets.add(packet);
    }

    @Override
    public synchronized void end(String reason) {
        endReasons.add(reason);
        endIndexes.add(packets.size());
    }

    public synchronized List<MediaPacket> packets() {
        return List.copyOf(packets);
    }

    public synchronized List<MediaPacket> packets(Predicate<MediaPacket> filter) {
        return packets.stream().filter(filter).toList();
    }

    /** Video pictures (not config packets) received so far. */
    public synchronized long videoPictures() {
        return packets.stream().filter(p -> p.isVideo() && !p.config()).count();
    }

    public synchronized long audioFrames() {
        return packets.stream().filter(p -> p.isAudio() && !p.config()).count();
    }

    public synchronized List<String> endReasons() {
        return List.copyOf(endReasons);
    }

    /** Packets received after the last {@link #end} (the current session), all packets if none ended yet. */
    public synchronized List<MediaPacket> currentSession() {
        int from = endIndexes.isEmpty() ? 0 : endIndexes.get(endIndexes.size() - 1);
        return List.copyOf(packets.subList(from, packets.size()));
    }

    public synchronized void clear() {
        packets.clear();
        endReasons.clear();
        endIndexes.clear();
    }
}
