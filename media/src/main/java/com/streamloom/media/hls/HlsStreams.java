package com.streamloom.media.hls;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The packagers a node serves, by stream name: the node registers a stream's packager when the stream is created and
 * removes it when the stream is deleted (not when its publisher leaves: the packager outlives reconnects). The HTTP
 * server reads it.
 */
public final class HlsStreams {
    private final Map<String, HlsPackager> packagers = new ConcurrentHashMap<>();

    /** Registers a packager under its stream name; fails if the name is taken (one packager per stream). */
    public void register(HlsPackager packager) {
        if (packagers.putIfAbsent(packager.stream(), packager) != null) {
            throw new IllegalStateException("stream " + packager.stream() + " already has a packager");
        }
    }

    /** Removes and closes the stream's packager, if any. */
    public void remove(String stream) {
        HlsPackager removed = packagers.remove(stream);
        if (removed != null) {
            removed.close();
        }
    }

    /** The stream's packager, or null. */
    public HlsPackager get(String stream) {
        return packagers.get(stream);
    }

    public List<String> names() {
        return packagers.keySet().stream().sorted().toList();
    }
}
