package com.streamloom.media.hls;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

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

    /**
     * The stream's packager for {@code settings}: the registered one if it has these settings, so its playlist
     * continues across a rebuild of the stream; else a new one from {@code create}, replacing (and closing) the old.
     */
    public synchronized HlsPackager keepOrReplace(String stream, HlsSettings settings,
                                                  Function<HlsSettings, HlsPackager> create) {
        HlsPackager current = packagers.get(stream);
        if (current != null && current.settings().equals(settings)) {
            return current;
        }
        remove(stream);
        HlsPackager created = create.apply(settings);
        register(created);
        return created;
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
