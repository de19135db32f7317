package com.streamloom.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.streamloom.media.codec.PictureLimit;
import com.streamloom.media.thumbnail.Thumbnails;
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
 * @param thumbnailIntervalMs [media.thumbnailIntervalMs] {@code STREAMLOOM_MEDIA_THUMBNAIL_INTERVAL_MS}: an output's
 *                       picture is kept for its {@code thumbnail.jpg} at most once per this many milliseconds, so
 *                       a thumbnail is at most this old; default 1000, at least 100
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record MediaLimits(String maxPicture, Long hlsMemoryBytes, Long thumbnailIntervalMs) {
    static final long DEFAULT_HLS_MEMORY_BYTES = 512L << 20;
    /** Below this an HLS budget cannot hold even one stream's live edge at a modest bitrate. */
    static final long MIN_HLS_MEMORY_BYTES = 1L << 20;
    /** Keeping a picture is a copy of it: ten per second per output is plenty for a preview. */
    static final long MIN_THUMBNAIL_INTERVAL_MS = 100;

    public static MediaLimits defaults() {
        return new MediaLimits(null, null, null).validated();
    }

    /** {@code file} (null when the file has no {@code media} object) with the environment's values over it. */
    static MediaLimits withEnvironment(MediaLimits file, Function<String, String> env) {
        MediaLimits f = file != null ? file : new MediaLimits(null, null, null);
        String picture = env.apply("STREAMLOOM_MEDIA_MAX_PICTURE");
        String hls = env.apply("STREAMLOOM_MEDIA_HLS_MEMORY_BYTES");
        Long hlsBytes = wholeNumber(env, "STREAMLOOM_MEDIA_HLS_MEMORY_BYTES", f.hlsMemoryBytes);
        Long thumbnailMs = wholeNumber(env, "STREAMLOOM_MEDIA_THUMBNAIL_INTERVAL_MS", f.thumbnailIntervalMs);
        return new MediaLimits(picture != null && !picture.isBlank() ? picture : f.maxPicture, hlsBytes, thumbnailMs);
    }

    /** The environment variable's whole number if it is set, else {@code fallback}. */
    private static Long wholeNumber(Function<String, String> env, String variable, Long fallback) {
        String value = env.apply(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new SpecException(variable, "must be a whole number, got \"" + value.strip() + "\"");
        }
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
        long thumbnailMs = thumbnailIntervalMs != null ? thumbnailIntervalMs
                : Thumbnails.DEFAULT_INTERVAL.toMillis();
        if (thumbnailMs < MIN_THUMBNAIL_INTERVAL_MS) {
            throw new SpecException("media.thumbnailIntervalMs",
                    "must be at least " + MIN_THUMBNAIL_INTERVAL_MS + ", got " + thumbnailMs);
        }
        return new MediaLimits(picture.toString(), hls, thumbnailMs);
    }

    /** The largest picture this node decodes. */
    public PictureLimit pictureLimit() {
        return PictureLimit.parse(validated().maxPicture);
    }

    /** At most one picture per output per this interval is kept for its thumbnail. */
    public java.time.Duration thumbnailInterval() {
        return java.time.Duration.ofMillis(validated().thumbnailIntervalMs);
    }

    /** The node's budget for in-memory HLS windows, in bytes. */
    public long hlsBudgetBytes() {
        return validated().hlsMemoryBytes;
    }
}
