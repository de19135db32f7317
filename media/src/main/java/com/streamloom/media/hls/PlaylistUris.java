package com.streamloom.media.hls;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adds a query parameter to every relative URI of a playlist, so that a player that fetched the playlist with a
 * playback token fetches its segments, parts and preload hints (and, in a multivariant playlist, its media playlists)
 * with the same token, and needs nothing special: RFC 8216 4.1 URI lines (every line that is neither blank nor
 * starts with '#') and the quoted {@code URI="..."} attribute of any tag (EXT-X-PART, EXT-X-PRELOAD-HINT,
 * EXT-X-MAP, EXT-X-MEDIA, EXT-X-RENDITION-REPORT, ...). Absolute URIs (with a scheme) point elsewhere and are left
 * as they are.
 */
public final class PlaylistUris {
    private static final Pattern URI_ATTRIBUTE = Pattern.compile("(?<=[:,])URI=\"([^\"]*)\"");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private PlaylistUris() {
    }

    /**
     * The playlist with {@code name=value} appended to the query of each relative URI; {@code value} must already be
     * URL-safe (it is inserted as it is).
     */
    public static String withParameter(String playlist, String name, String value) {
        String parameter = name + "=" + value;
        StringBuilder out = new StringBuilder(playlist.length() + 64 * (1 + playlist.length() / 80));
        int start = 0;
        while (start < playlist.length()) {
            int end = playlist.indexOf('\n', start);
            int next = end < 0 ? playlist.length() : end + 1;
            String line = playlist.substring(start, end < 0 ? playlist.length() : end);
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                out.append(line);
            } else if (trimmed.startsWith("#")) {
                Matcher m = URI_ATTRIBUTE.matcher(line);
                StringBuilder tag = new StringBuilder(line.length() + 64);
                while (m.find()) {
                    m.appendReplacement(tag, Matcher.quoteReplacement(
                            "URI=\"" + withQuery(m.group(1), parameter) + "\""));
                }
                m.appendTail(tag);
                out.append(tag);
            } else {
                out.append(withQuery(trimmed, parameter));
            }
            if (end >= 0) {
                out.append('\n');
            }
            start = next;
        }
        return out.toString();
    }

    private static String withQuery(String uri, String parameter) {
        if (SCHEME.matcher(uri).find()) {
            return uri;
        }
        int fragment = uri.indexOf('#');
        String path = fragment < 0 ? uri : uri.substring(0, fragment);
        String rest = fragment < 0 ? "" : uri.substring(fragment);
        return path + (path.indexOf('?') < 0 ? "?" : "&") + parameter + rest;
    }
}
