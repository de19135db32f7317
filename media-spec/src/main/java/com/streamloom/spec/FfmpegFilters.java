package com.streamloom.spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

/**
 * The libavfilter filters an {@code ffmpeg} stage may name, and the filter options it may not set. One list serves
 * the control API (which checks a graph without loading FFmpeg) and the nodes (which build it), so a graph the API
 * accepted is one a node builds. The names live in {@code ffmpeg-filters.txt} next to this class: FFmpeg's video
 * filters with video inputs and outputs only, without those that need a hardware device, read or write files, sleep,
 * log every frame or hold the whole stream in memory.
 */
public final class FfmpegFilters {
    private static final String LIST = "ffmpeg-filters.txt";
    private static final Set<String> ALLOWED = load();

    /** Options that name a file to read or write ({@code curves=psfile=...}): never from a network API. */
    private static final Set<String> REFUSED_OPTIONS = Set.of("psfile", "file", "filename", "stats_file", "hint",
            "textfile", "fontfile", "model", "debug_kdtree");

    private FfmpegFilters() {
    }

    /** Every filter name an ffmpeg stage may use, sorted. */
    public static Set<String> allowed() {
        return ALLOWED;
    }

    public static boolean isAllowed(String filter) {
        return ALLOWED.contains(filter);
    }

    /** Whether a filter option of this name is refused (it reads or writes a file). */
    public static boolean isRefusedOption(String option) {
        return REFUSED_OPTIONS.contains(option) || option.startsWith("/");
    }

    private static Set<String> load() {
        try (InputStream in = FfmpegFilters.class.getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException(LIST + " is missing from media-spec");
            }
            Set<String> names = new TreeSet<>();
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(names::add);
            return java.util.Collections.unmodifiableSet(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
