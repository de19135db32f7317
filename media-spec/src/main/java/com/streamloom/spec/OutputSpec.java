package com.streamloom.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Outputs of a pipeline: HLS (always) and RTMP pushes of the processed stream to any number of targets, up to
 * {@link #MAX_FORWARD_URLS} (the compositors of every composition that takes the stream as input,
 * plus the user's own).
 *
 * @param segmentSeconds HLS target segment duration, 1 to 10 (default 2); keyframes are forced on boundaries
 * @param windowSegments segments listed in the sliding-window playlist, 3 to 30 (default 6)
 * @param forwardUrls    rtmp://host[:port]/app/name URLs to push the processed stream to; empty for none
 * @param forwardUrl     the single forward target older specs have; still accepted, {@link #validated} puts it first
 *                       in {@code forwardUrls} and clears it, so that both spellings of one spec compare equal
 * @param playback       who may watch the HLS output: {@code public} (default: anyone with the URL) or {@code signed}
 *                       (only with a {@link PlaybackToken} for this name, on the playlist, its parts and segments)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutputSpec(Double segmentSeconds, Integer windowSegments,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> forwardUrls, String forwardUrl,
                         String playback) {
    /** Each target is one more RTMP connection and upload of the whole stream from the edge. */
    public static final int MAX_FORWARD_URLS = 8;
    static final int MAX_URL_LENGTH = 2048;
    /** Anyone with the playback URL may watch (the default). */
    public static final String PLAYBACK_PUBLIC = "public";
    /** Only a request with a valid playback token for this name may watch. */
    public static final String PLAYBACK_SIGNED = "signed";
    static final List<String> PLAYBACK_MODES = List.of(PLAYBACK_PUBLIC, PLAYBACK_SIGNED);

    public OutputSpec(Double segmentSeconds, Integer windowSegments, List<String> forwardUrls, String forwardUrl) {
        this(segmentSeconds, windowSegments, forwardUrls, forwardUrl, null);
    }

    public OutputSpec(Double segmentSeconds, Integer windowSegments, List<String> forwardUrls) {
        this(segmentSeconds, windowSegments, forwardUrls, null, null);
    }

    public static OutputSpec defaults() {
        return new OutputSpec(2.0, 6, List.of());
    }

    /** This output pushing to {@code targets} instead of its own forward targets. */
    public OutputSpec withForwardUrls(List<String> targets) {
        return new OutputSpec(segmentSeconds, windowSegments, List.copyOf(targets), null, playback);
    }

    /** Whether the HLS output plays only with a playback token (a spec that does not say is public). */
    public boolean signed() {
        return PLAYBACK_SIGNED.equals(playback);
    }

    /**
     * Where to push, without checking: the legacy {@code forwardUrl} first, then {@code forwardUrls}, each once.
     * A validated spec's answer is its {@code forwardUrls}.
     */
    public List<String> forwardTargets() {
        Set<String> all = new LinkedHashSet<>();
        if (forwardUrl != null) {
            all.add(forwardUrl);
        }
        if (forwardUrls != null) {
            all.addAll(forwardUrls);
        }
        return List.copyOf(all);
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
        if (forwardUrl != null) {
            checkForwardUrl(path + ".forwardUrl", forwardUrl);
        }
        List<String> urls = forwardUrls == null ? List.of() : forwardUrls;
        // checked before the loop too, so that a huge list is refused without looking at its elements
        if (urls.size() > MAX_FORWARD_URLS) {
            throw new SpecException(path + ".forwardUrls", "at most " + MAX_FORWARD_URLS + " forward targets");
        }
        for (int i = 0; i < urls.size(); i++) {
            checkForwardUrl(path + ".forwardUrls[" + i + "]", urls.get(i));
        }
        List<String> targets = forwardTargets();
        if (targets.size() > MAX_FORWARD_URLS) {
            throw new SpecException(path + ".forwardUrls", "at most " + MAX_FORWARD_URLS
                    + " forward targets, counting forwardUrl");
        }
        String mode = playback == null ? PLAYBACK_PUBLIC : playback;
        if (!PLAYBACK_MODES.contains(mode)) {
            throw new SpecException(path + ".playback", "must be one of " + PLAYBACK_MODES);
        }
        return new OutputSpec(s, w, targets, null, mode);
    }

    /**
     * The shape an edge's RTMP client can publish to ({@code rtmp://host[:port]/app/name[?query]}), so that a target
     * the API accepted never fails on the node.
     */
    private static void checkForwardUrl(String field, String url) {
        String rule = "must be an rtmp://host[:port]/app/name URL of at most " + MAX_URL_LENGTH + " characters";
        if (url == null || url.length() > MAX_URL_LENGTH || !url.startsWith("rtmp://")) {
            throw new SpecException(field, rule);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new SpecException(field, rule);
        }
        String appAndName = uri.getRawPath() == null ? "" : uri.getRawPath();
        int port = uri.getPort();
        if (uri.getHost() == null || port == 0 || port > 65535 || !appAndName.matches("/+[^/]+/.+")) {
            throw new SpecException(field, rule);
        }
    }
}
