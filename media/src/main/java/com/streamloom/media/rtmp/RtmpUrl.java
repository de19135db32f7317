package com.streamloom.media.rtmp;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * An RTMP publish address, {@code rtmp://host[:port]/app/streamName}, or {@code rtmps://} for RTMP inside TLS
 * (default port 443, as OBS and FFmpeg use it). The first path segment is the application, the rest (which may carry
 * a {@code ?query}) is the stream name, as OBS's "Server" and "Stream Key" fields split it.
 */
public record RtmpUrl(boolean tls, String host, int port, String app, String streamName) {
    /** The port of rtmps:// URLs that name none (FFmpeg's and OBS's default). */
    public static final int DEFAULT_RTMPS_PORT = 443;

    public RtmpUrl {
        if (host == null || host.isEmpty() || app == null || app.isEmpty() || streamName == null
                || streamName.isEmpty()) {
            throw new IllegalArgumentException("an RTMP URL needs a host, an application and a stream name");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
    }

    public static RtmpUrl parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid RTMP URL: " + e.getMessage());
        }
        boolean tls = "rtmps".equalsIgnoreCase(uri.getScheme());
        if (!(tls || "rtmp".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected rtmp[s]://host[:port]/app/stream");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/+", "");
        int slash = path.indexOf('/');
        if (slash <= 0 || slash == path.length() - 1) {
            throw new IllegalArgumentException("expected rtmp://host[:port]/app/stream, the path has no stream name");
        }
        String name = path.substring(slash + 1) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        int defaultPort = tls ? DEFAULT_RTMPS_PORT : RtmpServer.DEFAULT_PORT;
        return new RtmpUrl(tls, uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort(),
                path.substring(0, slash), name);
    }

    /** The tcUrl of the connect command (spec 7.2.1.1): the URL without the stream name. */
    public String tcUrl() {
        return (tls ? "rtmps://" : "rtmp://") + host + ":" + port + "/" + app;
    }

    /** Never shows the stream name, which is usually a secret key or carries a token, nor anything derived from it. */
    @Override
    public String toString() {
        return tcUrl() + "/<stream key hidden>";
    }
}
