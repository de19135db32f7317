package com.streamloom.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a stream's media comes from: an RTMP publisher pushing with a secret key ({@code rtmp-push}), or a URL the
 * node pulls ({@code rtsp-pull}, {@code rtmp-pull}) with timeouts and reconnect.
 *
 * @param type          rtmp-push | rtsp-pull | rtmp-pull
 * @param url           for pulls: rtsp://... or rtmp://...
 * @param transport     for RTSP: tcp (default) or udp
 * @param timeoutMs     connect and read timeout of a pull (default 5000)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceSpec(String type, String url, String transport, Integer timeoutMs) {
    public static final String RTMP_PUSH = "rtmp-push";
    public static final String RTSP_PULL = "rtsp-pull";
    public static final String RTMP_PULL = "rtmp-pull";

    public static SourceSpec push() {
        return new SourceSpec(RTMP_PUSH, null, null, null);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isPull() {
        return RTSP_PULL.equals(type) || RTMP_PULL.equals(type);
    }

    SourceSpec validated(String path) {
        String t = type == null ? RTMP_PUSH : type;
        switch (t) {
            case RTMP_PUSH -> {
                if (url != null) {
                    throw new SpecException(path + ".url", "must not be set for rtmp-push (publishers push to the node)");
                }
                return new SourceSpec(t, null, null, null);
            }
            case RTSP_PULL, RTMP_PULL -> {
                String scheme = t.equals(RTSP_PULL) ? "rtsp" : "rtmp";
                if (url == null || !(url.startsWith(scheme + "://") || url.startsWith(scheme + "s://"))) {
                    throw new SpecException(path + ".url", "must be an " + scheme + ":// or " + scheme + "s:// URL");
                }
                if (url.length() > 2048 || url.chars().anyMatch(c -> c < 0x21)) {
                    throw new SpecException(path + ".url", "must be at most 2048 characters without spaces");
                }
                String tr = transport == null ? "tcp" : transport;
                if (!tr.equals("tcp") && !tr.equals("udp")) {
                    throw new SpecException(path + ".transport", "must be tcp or udp");
                }
                int to = timeoutMs == null ? 5000 : timeoutMs;
                if (to < 500 || to > 120_000) {
                    throw new SpecException(path + ".timeoutMs", "must be between 500 and 120000");
                }
                return new SourceSpec(t, url, t.equals(RTSP_PULL) ? tr : null, to);
            }
            default -> throw new SpecException(path + ".type", "must be rtmp-push, rtsp-pull or rtmp-pull");
        }
    }
}
