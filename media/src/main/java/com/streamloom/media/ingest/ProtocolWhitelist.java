package com.streamloom.media.ingest;

import java.util.Locale;

/**
 * The FFmpeg protocols a pull may use, by its URL's scheme: FFmpeg's {@code protocol_whitelist} option, which
 * libavformat checks on every nested open (ffmpeg-protocols, "Protocol Options"), so nothing a server answers can
 * make the node open a {@code file:}, {@code http:}, {@code pipe:} or any other protocol the pull does not need.
 */
final class ProtocolWhitelist {
    private ProtocolWhitelist() {
    }

    /**
     * @param url an rtsp://, rtsps://, rtmp:// or rtmps:// URL
     * @return the comma-separated protocol names for {@code protocol_whitelist}
     * @throws IllegalArgumentException for any other scheme
     */
    static String forUrl(String url) {
        int colon = url.indexOf("://");
        String scheme = colon < 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
        return switch (scheme) {
            // RTSP signalling over TCP; media interleaved in it, or as RTP over UDP
            case "rtsp" -> "rtsp,rtp,udp,tcp";
            case "rtsps" -> "rtsp,rtsps,rtp,udp,tcp,tls";
            case "rtmp" -> "rtmp,tcp";
            case "rtmps" -> "rtmps,tls,tcp";
            default -> throw new IllegalArgumentException("no protocols are allowed for a pull from '" + scheme
                    + "://'; a pull is rtsp://, rtsps://, rtmp:// or rtmps://");
        };
    }
}
