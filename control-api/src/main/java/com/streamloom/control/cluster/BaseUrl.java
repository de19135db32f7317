package com.streamloom.control.cluster;

/** A node's advertised base URL, ready for a path to be appended. */
public final class BaseUrl {
    private BaseUrl() {
    }

    /** {@code http://edge:8081/} and {@code http://edge:8081} both give {@code http://edge:8081}. */
    public static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
