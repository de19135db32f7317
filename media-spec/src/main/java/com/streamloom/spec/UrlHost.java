package com.streamloom.spec;

/**
 * The host part of a media URL ({@code rtsp://user:pass@host:port/path}, {@code rtmp://[::1]/app/key}) as FFmpeg and
 * our RTMP client read it: between {@code ://} (and any {@code user:pass@}) and the port, path, query or fragment.
 */
public final class UrlHost {
    private UrlHost() {
    }

    /** The host, IPv6 without its brackets. */
    public static String of(String url) {
        int[] span = span(url);
        String host = url.substring(span[0], span[1]);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The URL with its host replaced by {@code host} (an IPv6 address is put in brackets). */
    public static String with(String url, String host) {
        int[] span = span(url);
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return url.substring(0, span[0]) + h + url.substring(span[1]);
    }

    /** Start and end of the host in {@code url}. */
    private static int[] span(String url) {
        int start = url.indexOf("://");
        start = start < 0 ? 0 : start + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        if (at >= start) {
            start = at + 1;
        }
        if (start < end && url.charAt(start) == '[') {
            int close = url.indexOf(']', start);
            return new int[]{start, close < 0 || close > end ? end : close + 1};
        }
        int colon = url.indexOf(':', start);
        return new int[]{start, colon < 0 || colon > end ? end : colon};
    }
}
