package com.streamloom.spec;

/**
 * How the processed video is encoded (H.264 with libx264) and what happens to audio.
 *
 * @param preset      x264 preset (default veryfast)
 * @param bitrateKbps target video bitrate (default 2500)
 * @param maxFps      0 keeps the source rate; otherwise frames above it are dropped
 * @param audio       copy (AAC passed through, default), aac (re-encoded) or none
 */
public record EncodingSpec(String preset, Integer bitrateKbps, Integer maxFps, String audio) {
    public static final java.util.List<String> PRESETS =
            java.util.List.of("ultrafast", "superfast", "veryfast", "faster", "fast", "medium");

    public static EncodingSpec defaults() {
        return new EncodingSpec("veryfast", 2500, 0, "copy");
    }

    EncodingSpec validated(String path) {
        String p = preset == null ? "veryfast" : preset;
        if (!PRESETS.contains(p)) {
            throw new SpecException(path + ".preset", "must be one of " + PRESETS);
        }
        int b = bitrateKbps == null ? 2500 : bitrateKbps;
        if (b < 100 || b > 50_000) {
            throw new SpecException(path + ".bitrateKbps", "must be between 100 and 50000");
        }
        int f = maxFps == null ? 0 : maxFps;
        if (f < 0 || f > 120) {
            throw new SpecException(path + ".maxFps", "must be between 0 (source rate) and 120");
        }
        String a = audio == null ? "copy" : audio;
        if (!a.equals("copy") && !a.equals("aac") && !a.equals("none")) {
            throw new SpecException(path + ".audio", "must be copy, aac or none");
        }
        return new EncodingSpec(p, b, f, a);
    }
}
