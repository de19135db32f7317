package com.streamloom.media.rtmp;

import java.net.SocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a publisher asked for: the application ("live" in rtmp://host/live), the stream key (the publish name up to
 * any '?', which OBS calls the "Stream Key") and the query after '?' (for tokens some tools append), and where it
 * came from. {@link #toString()} never shows the key, so a request can be logged as is.
 */
public record PublishRequest(String app, String streamKey, String query, SocketAddress remoteAddress) {

    /** Splits a publish name into key and query: "abc?token=1" gives key "abc", query "token=1". */
    public static PublishRequest of(String app, String publishName, SocketAddress remoteAddress) {
        int q = publishName.indexOf('?');
        return q < 0 ? new PublishRequest(app, publishName, "", remoteAddress)
                : new PublishRequest(app, publishName.substring(0, q), publishName.substring(q + 1), remoteAddress);
    }

    /** The query parameters, URL-decoded; the last value wins for repeated names. */
    public Map<String, String> queryParameters() {
        Map<String, String> params = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(decode(name), decode(value));
        }
        return params;
    }

    /**
     * The full SHA-256 of the key in hex (64 digits), for lookups and caches that must not keep the key itself.
     * Never log it: a hash, or any part of one, lets a reader match log lines to a leaked key list.
     */
    public String keyHash() {
        return HexFormat.of().formatHex(keyDigest(streamKey));
    }

    /** The full SHA-256 of {@code key}; compare digests with {@link MessageDigest#isEqual} (constant time). */
    public static byte[] keyDigest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    @Override
    public String toString() {
        // Neither the key nor anything derived from it (a hash prefix would let a reader match log lines to a
        // leaked key list): logs name the stream once the key is granted.
        return "PublishRequest[app=" + app + ", from " + remoteAddress + "]";
    }

    /** Why a name is unacceptable, or null: it ends up in paths and URLs, so no separators or parent references. */
    static String nameProblem(String name, String what) {
        if (name.isEmpty() && what.startsWith("stream")) {
            return "stream name is empty";
        }
        if (name.contains("/") || name.contains("\\") || name.contains("..")) {
            return what + " must not contain '/', '\\' or '..'";
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return what + " must not contain control characters";
            }
        }
        return null;
    }

}
