package com.streamloom.node.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files under {@code static/} on the classpath (the player page, its script, hls.js), read once and kept in
 * memory: they are few and small. Only names with a known extension are served, which also keeps classpath
 * directories (no extension) from being listed.
 */
final class StaticFiles {
    private static final String ROOT = "static/";
    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"));

    record StaticFile(String contentType, byte[] data) {
    }

    private final ClassLoader loader;
    /** Only files that exist are cached, so requests for random names cannot grow it. */
    private final Map<String, StaticFile> cache = new ConcurrentHashMap<>();

    StaticFiles(ClassLoader loader) {
        this.loader = loader;
    }

    /** The file at a path relative to {@code static/} (segments already validated), if it exists. */
    Optional<StaticFile> find(String relativePath) {
        return Optional.ofNullable(cache.computeIfAbsent(relativePath, this::load));
    }

    private StaticFile load(String relativePath) {
        int dot = relativePath.lastIndexOf('.');
        String type = dot < 0 ? null : CONTENT_TYPES.get(relativePath.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return null;
        }
        try (InputStream in = loader.getResourceAsStream(ROOT + relativePath)) {
            return in == null ? null : new StaticFile(type, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read static file " + relativePath, e);
        }
    }
}
