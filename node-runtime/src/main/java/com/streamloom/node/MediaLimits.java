package com.streamloom.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.streamloom.media.codec.PictureLimit;
import com.streamloom.spec.SpecException;

import java.util.function.Function;

/**
 * A node's media limits, the {@code media} object of its config file, each also set by an environment variable
 * (which wins); a limit not set keeps its default.
 *
 * @param maxPicture     [media.maxPicture] {@code STREAMLOOM_MEDIA_MAX_PICTURE}: the largest picture decoded, as
 *                       {@code WIDTHxHEIGHT} in either orientation ({@link PictureLimit}); default 3840x2160
 * @param hlsMemoryBytes [media.hlsMemoryBytes] {@code STREAMLOOM_MEDIA_HLS_MEMORY_BYTES}: what the in-memory HLS
 *                       windows of all outputs on the node may hold together; default 512 MiB, or half the maximum
 *                       heap when that is less
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record MediaLimits(String maxPicture, Long hlsMemoryBytes) {
    static final long DEFAULT_HLS_MEMORY_BYTES = 512L << 20;
    /** Below this an HLS budget cannot hold even one stream's live edge at a modest bitrate. */
    static final long MIN_HLS_MEMORY_BYTES = 1L << 20;

    public static MediaLimits defaults() {
        return new MediaLimits(null, null).validated();
    }

    /** {@code file} (null when the file has no {@code media} object) with the environment's values over it. */
    static MediaLimits withEnvironment(MediaLimits file, Function<String, String> env) {
        MediaLimits f = file != null ? file : new MediaLimits(null, null);
        String picture = env.apply("STREAMLOOM_MEDIA_MAX_PICTURE");
        String hls = env.apply("STREAMLOOM_MEDIA_HLS_MEMORY_BYTES");
        Long hlsBytes = f.hlsMemoryBytes;
        if (hls != null && !hls.isBlank()) {
            try {
                hlsBytes = Long.valueOf(hls.strip());
            } catch (NumberFormatException e) {
                throw new SpecException("STREAMLOOM_MEDIA_HLS_MEMORY_BYTES",
                        "must be a whole number, got \"" + hls.strip() + "\"");
            }
        }
        return new MediaLimits(picture != null && !picture.isBlank() ? picture : f.maxPicture, hlsBytes);
    }

    /**
     * These limits with every default filled in.
     *
     * @throws SpecException naming the field whose value is out of range
     */
    public MediaLimits validated() {
        PictureLimit picture;
        try {
            picture = maxPicture == null ? PictureLimit.DEFAULT : PictureLimit.parse(maxPicture);
        } catch (IllegalArgumentException e) {
            throw new SpecException("media.maxPicture", e.getMessage());
        }
        long hls = hlsMemoryBytes != null ? hlsMemoryBytes
                : Math.min(DEFAULT_HLS_MEMORY_BYTES, Runtime.getRuntime().maxMemory() / 2);
        if (hls < MIN_HLS_MEMORY_BYTES) {
            throw new SpecException("media.hlsMemoryBytes", "must be at least " + MIN_HLS_MEMORY_BYTES + ", got " + hls);
        }
        return new MediaLimits(picture.toString(), hls);
    }

    /** The largest picture this node decodes. */
    public PictureLimit pictureLimit() {
        return PictureLimit.parse(validated().maxPicture);
    }

    /** The node's budget for in-memory HLS windows, in bytes. */
    public long hlsBudgetBytes() {
        return validated().hlsMemoryBytes;
    }
}
