package com.streamloom.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.streamloom.media.overlay.ImageAssets;
import com.streamloom.spec.HostRules;
import com.streamloom.spec.SpecException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * What a spec, which comes from the network API, may reach on the node: the {@code specAccess} object of its config
 * file, each value also set by an environment variable (which wins).
 *
 * @param assetsDir     [specAccess.assetsDir] {@code STREAMLOOM_ASSETS_DIR}: the directory whose files an
 *                      {@code image} stage may name by relative path; unset: images come as data: URIs only
 * @param imageMaxBytes [specAccess.imageMaxBytes] {@code STREAMLOOM_IMAGE_MAX_BYTES}: the largest image file or
 *                      decoded data: URI, default {@link ImageAssets#DEFAULT_MAX_BYTES}
 * @param outboundAllow [specAccess.outboundAllow] {@code STREAMLOOM_OUTBOUND_ALLOW} (comma-separated): CIDR blocks,
 *                      addresses and host names a pull or forward may connect to; unset or empty: any host not denied
 * @param outboundDeny  [specAccess.outboundDeny] {@code STREAMLOOM_OUTBOUND_DENY} (comma-separated): what no pull or
 *                      forward may connect to; unset: {@link HostRules#DEFAULT_DENY} (link-local and cloud metadata
 *                      addresses); set, it replaces that list
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record SpecAccess(String assetsDir, Long imageMaxBytes, List<String> outboundAllow,
                         List<String> outboundDeny) {
    /** Every value at its default. */
    static final SpecAccess NONE = new SpecAccess(null, null, null, null);

    /** {@code file} (null when the file has no {@code specAccess} object) with the environment's values over it. */
    static SpecAccess withEnvironment(SpecAccess file, Function<String, String> env) {
        SpecAccess f = file != null ? file : NONE;
        String dir = env.apply("STREAMLOOM_ASSETS_DIR");
        String max = env.apply("STREAMLOOM_IMAGE_MAX_BYTES");
        Long maxBytes = f.imageMaxBytes;
        if (max != null && !max.isBlank()) {
            try {
                maxBytes = Long.valueOf(max.strip());
            } catch (NumberFormatException e) {
                throw new SpecException("STREAMLOOM_IMAGE_MAX_BYTES", "must be a whole number, got \"" + max.strip()
                        + "\"");
            }
        }
        return new SpecAccess(dir != null && !dir.isBlank() ? dir.strip() : f.assetsDir, maxBytes,
                list(env.apply("STREAMLOOM_OUTBOUND_ALLOW"), f.outboundAllow),
                list(env.apply("STREAMLOOM_OUTBOUND_DENY"), f.outboundDeny));
    }

    /** A comma-separated environment value over the file's list; an empty value is an empty list. */
    private static List<String> list(String env, List<String> file) {
        if (env == null) {
            return file;
        }
        return Arrays.stream(env.split(",")).map(String::strip).filter(e -> !e.isEmpty()).toList();
    }

    /**
     * The hosts pulls and forwards may connect to.
     *
     * @throws SpecException naming the setting and its entry that is no CIDR block, address or host name
     */
    HostRules outbound() {
        return HostRules.of("specAccess.outboundAllow", outboundAllow, "specAccess.outboundDeny", outboundDeny);
    }

    /**
     * The image assets these settings allow.
     *
     * @throws SpecException naming the setting that cannot be used
     */
    ImageAssets imageAssets() {
        long max = imageMaxBytes == null ? ImageAssets.DEFAULT_MAX_BYTES : imageMaxBytes;
        if (max < 1) {
            throw new SpecException("specAccess.imageMaxBytes", "must be positive, got " + max);
        }
        try {
            return ImageAssets.of(assetsDir == null || assetsDir.isBlank() ? null : Path.of(assetsDir), max);
        } catch (IllegalArgumentException e) {
            throw new SpecException("specAccess.assetsDir", e.getMessage());
        }
    }
}
