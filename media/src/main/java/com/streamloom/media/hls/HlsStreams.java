package com.streamloom.media.hls;

import com.streamloom.media.thumbnail.Thumbnails;
import com.streamloom.spec.PlaybackToken;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The packagers a node serves, by stream name: the node registers a stream's packager when the stream is created and
 * removes it when the stream is deleted (not when its publisher leaves: the packager outlives reconnects). The HTTP
 * server reads it, and asks its {@link #guard()} whether a request may be answered. Every packager registered here
 * charges its window to the node's {@link HlsMemoryBudget}. Each output's {@link Thumbnails thumbnail} (served
 * beside its playlist, under the same access rule) lives and goes with it.
 */
public final class HlsStreams {
    private final Map<String, HlsPackager> packagers = new ConcurrentHashMap<>();
    private final PlaybackGuard guard;
    private final HlsMemoryBudget budget;
    private final DiscontinuityStore discontinuities;
    private final Thumbnails thumbnails;

    /** The HLS outputs of an edge (streams), on the system clock, keeping no discontinuity record. */
    public HlsStreams() {
        this(PlaybackToken.Kind.STREAM, Clock.systemUTC());
    }

    /** @param kind what the outputs are: playback tokens name it */
    public HlsStreams(PlaybackToken.Kind kind, Clock clock) {
        this(kind, clock, HlsMemoryBudget.unlimited(), null);
    }

    /**
     * @param kind            what the outputs are: playback tokens name it
     * @param budget          what all these outputs' HLS windows may hold together
     * @param discontinuities where the node keeps each playlist's discontinuity sequence across restarts, or null
     */
    public HlsStreams(PlaybackToken.Kind kind, Clock clock, HlsMemoryBudget budget,
                      DiscontinuityStore discontinuities) {
        this(kind, clock, budget, discontinuities, new Thumbnails(clock, Thumbnails.DEFAULT_INTERVAL));
    }

    /** @param thumbnails the outputs' latest pictures (see {@link Thumbnails}) */
    public HlsStreams(PlaybackToken.Kind kind, Clock clock, HlsMemoryBudget budget,
                      DiscontinuityStore discontinuities, Thumbnails thumbnails) {
        this.guard = new PlaybackGuard(kind, clock);
        this.budget = budget;
        this.discontinuities = discontinuities;
        this.thumbnails = thumbnails;
    }

    /** The outputs' latest pictures, served as {@code thumbnail.jpg} beside their playlists. */
    public Thumbnails thumbnails() {
        return thumbnails;
    }

    public HlsMemoryBudget budget() {
        return budget;
    }

    /** Where new packagers keep their discontinuity sequence (see {@link DiscontinuityStore}), or null. */
    public DiscontinuityStore discontinuities() {
        return discontinuities;
    }

    /** Which outputs need a playback token, and the keys that verify them. */
    public PlaybackGuard guard() {
        return guard;
    }

    /** Registers a packager under its stream name; fails if the name is taken (one packager per stream). */
    public void register(HlsPackager packager) {
        if (packagers.putIfAbsent(packager.stream(), packager) != null) {
            throw new IllegalStateException("stream " + packager.stream() + " already has a packager");
        }
        packager.chargeTo(budget);
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
        close(stream);
        HlsPackager created = create.apply(settings);
        register(created);
        return created;
    }

    /** Removes and closes the stream's packager, if any, and its thumbnail; then forgets its playback mode. */
    public void remove(String stream) {
        close(stream);
        thumbnails.remove(stream);
        guard.require(stream, false);
    }

    /** Removes and closes the packager, keeping the stream's playback mode (a replacement is coming). */
    private void close(String stream) {
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
