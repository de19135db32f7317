package com.streamloom.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Outputs of a pipeline: HLS (always) and an optional RTMP push of the processed stream (to a compositor).
 *
 * @param segmentSeconds HLS target segment duration, 1 to 10 (default 2); keyframes are forced on boundaries
 * @param windowSegments segments listed in the sliding-window playlist, 3 to 30 (default 6)
 * @param forwardUrl     rtmp://host:port/app/name to push the processed stream to, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutputSpec(Double segmentSeconds, Integer windowSegments, String forwardUrl) {
    public static OutputSpec defaults() {
        return new OutputSpec(2.0, 6, null);
    }

    OutputSpec validated(String path) {
        double s = segmentSeconds == null ? 2.0 : segmentSeconds;
        if (!(s >= 1 && s <= 10)) {
            throw new SpecException(path + ".segmentSeconds", "must be between 1 and 10");
        }
        int w = windowSegments == null ? 6 : windowSegments;
        if (w < 3 || w > 30) {
            throw new SpecException(path + ".windowSegments", "must be between 3 and 30");
        }
        if (forwardUrl != null && !(forwardUrl.startsWith("rtmp://") && forwardUrl.length() <= 2048)) {
            throw new SpecException(path + ".forwardUrl", "must be an rtmp:// URL");
        }
        return new OutputSpec(s, w, forwardUrl);
    }
}
