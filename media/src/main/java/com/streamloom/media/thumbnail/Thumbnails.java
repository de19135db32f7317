package com.streamloom.media.thumbnail;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Thumbnail}s of a node's outputs, by output name: an output's pipeline takes its thumbnail with
 * {@link #of} when it starts (a rebuilt pipeline gets the same one, so the picture survives the rebuild), the HTTP
 * server reads it with {@link #get}, and the node {@link #remove}s it with the output.
 */
public final class Thumbnails {
    /** The default of {@code media.thumbnailIntervalMs}: a thumbnail is at most this old while its output runs. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** Widths a thumbnail may be asked for: from a list icon to full HD. */
    public static final int MIN_WIDTH = 16;
    public static final int MAX_WIDTH = 1920;
    public static final int DEFAULT_WIDTH = 320;

    private final Map<String, Thumbnail> byName = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration interval;

    /** @param interval at most one picture per output is kept per interval (at least 1 ms) */
    public Thumbnails(Clock clock, Duration interval) {
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("a thumbnail interval is at least 1 ms, got " + interval);
        }
        this.clock = clock;
        this.interval = interval;
    }

    public Duration interval() {
        return interval;
    }

    /** The output's thumbnail, made on first use. */
    public Thumbnail of(String name) {
        return byName.computeIfAbsent(name, n -> new Thumbnail(clock, interval.toMillis()));
    }

    /** The output's thumbnail, or null if it has none. */
    public Thumbnail get(String name) {
        return byName.get(name);
    }

    /** Forgets the output's thumbnail and frees its picture. */
    public void remove(String name) {
        Thumbnail removed = byName.remove(name);
        if (removed != null) {
            removed.close();
        }
    }
}
