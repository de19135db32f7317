package com.streamloom.media.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.SpecException;
import com.streamloom.spec.StreamSpec;
import com.streamloom.spec.TokenPolicy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Settings of a media node (edge or compositor), read from a JSON file and overridden by environment variables
 * ({@code STREAMLOOM_*}), so the same image runs standalone from a file or in a cluster from its environment.
 *
 * <p>Standalone mode ({@code controlUrl} empty): the node runs {@code streams} (edge) or {@code compositions}
 * (compositor) from the file; each push stream's publishers authenticate with the {@code key} given next to it.
 * Cluster mode: the node registers with the control API and runs what it is assigned.
 *
 * @param nodeId              stable id; default host name + RTMP port
 * @param bindHost            address to listen on (default 0.0.0.0)
 * @param rtmpPort            RTMP port (edge 1935, compositor 1936)
 * @param httpPort            HTTP port for HLS, player page, /metrics and the node API (edge 8081, compositor 8082)
 * @param advertiseHost       host other nodes and the control API use to reach this node (default: host name)
 * @param publicHost          host put into URLs shown to people (OBS server, playback); default advertiseHost
 * @param controlUrl          control API base URL; empty for standalone
 * @param nodeToken           bearer token for the control API, and required on this node's own API when set
 * @param openDevMode         accept any stream key and create the stream on the fly: development only, off by default
 * @param takeoverOnRepublish a second publisher on a live key replaces the first instead of being refused
 * @param capacity            cost units per second this node can take; 0 = measure from the core count
 * @param streams             standalone streams (edge)
 * @param compositions        standalone compositions (compositor)
 * @param corsAllowedOrigins  origins (e.g. {@code https://studio.example.com}) whose pages may call the node's write
 *                            API from a browser; none by default. Reads (HLS, status) are open to any origin.
 * @param playbackKey         standalone: the key that verifies playback tokens of signed outputs
 *                            ({@code output.playback: signed}); required when one is signed. In cluster mode the
 *                            keys come with the control API's heartbeat answer instead. A secret: random, 24
 *                            characters or more ({@code TokenPolicy})
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record NodeConfig(String nodeId, String bindHost, Integer rtmpPort, Integer httpPort, String advertiseHost,
                         String publicHost, String controlUrl, String nodeToken, Boolean openDevMode,
                         Boolean takeoverOnRepublish, Double capacity, List<KeyedStream> streams,
                         List<CompositionSpec> compositions, List<String> corsAllowedOrigins,
                         String playbackKey) {

    /** A standalone stream and the key its publisher must present (push streams only). */
    public record KeyedStream(String key, StreamSpec spec) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** Reads the file (if any), applies environment overrides and defaults, validates every spec. */
    public static NodeConfig load(Path file, Map<String, String> env, int defaultRtmpPort, int defaultHttpPort)
            throws IOException {
        NodeConfig raw = file == null ? empty() : JSON.readValue(Files.readAllBytes(file), NodeConfig.class);
        return raw.withEnvironment(env::get).withDefaults(defaultRtmpPort, defaultHttpPort);
    }

    public static NodeConfig empty() {
        return new NodeConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    NodeConfig withEnvironment(Function<String, String> env) {
        return new NodeConfig(
                or(env.apply("STREAMLOOM_NODE_ID"), nodeId),
                or(env.apply("STREAMLOOM_BIND_HOST"), bindHost),
                intOr(env.apply("STREAMLOOM_RTMP_PORT"), rtmpPort),
                intOr(env.apply("STREAMLOOM_HTTP_PORT"), httpPort),
                or(env.apply("STREAMLOOM_ADVERTISE_HOST"), advertiseHost),
                or(env.apply("STREAMLOOM_PUBLIC_HOST"), publicHost),
                or(env.apply("STREAMLOOM_CONTROL_URL"), controlUrl),
                or(env.apply("STREAMLOOM_NODE_TOKEN"), nodeToken),
                env.apply("STREAMLOOM_OPEN_DEV_MODE") != null ? Boolean.valueOf(env.apply("STREAMLOOM_OPEN_DEV_MODE")) : openDevMode,
                takeoverOnRepublish,
                env.apply("STREAMLOOM_CAPACITY") != null ? Double.valueOf(env.apply("STREAMLOOM_CAPACITY")) : capacity,
                streams, compositions,
                env.apply("STREAMLOOM_CORS_ALLOWED_ORIGINS") != null
                        ? List.of(env.apply("STREAMLOOM_CORS_ALLOWED_ORIGINS").split(",")) : corsAllowedOrigins,
                or(env.apply("STREAMLOOM_PLAYBACK_KEY"), playbackKey));
    }

    NodeConfig withDefaults(int defaultRtmpPort, int defaultHttpPort) {
        String host = advertiseHost != null ? advertiseHost : localHostName();
        int rtmp = rtmpPort != null ? rtmpPort : defaultRtmpPort;
        List<KeyedStream> ss = new ArrayList<>();
        for (int i = 0; streams != null && i < streams.size(); i++) {
            KeyedStream k = streams.get(i);
            StreamSpec spec;
            try {
                spec = k.spec().validated();
            } catch (SpecException e) {
                throw new SpecException("streams[" + i + "].spec." + e.field(), e.getMessage());
            }
            if (spec.source().isPull() == (k.key() != null)) {
                throw new SpecException("streams[" + i + "].key", spec.source().isPull()
                        ? "must not be set for a pull stream" : "is required for an rtmp-push stream");
            }
            if (k.key() != null && k.key().length() < 16) {
                throw new SpecException("streams[" + i + "].key", "must be at least 16 characters");
            }
            ss.add(new KeyedStream(k.key(), spec));
        }
        List<CompositionSpec> cs = new ArrayList<>();
        for (int i = 0; compositions != null && i < compositions.size(); i++) {
            try {
                cs.add(compositions.get(i).validated());
            } catch (SpecException e) {
                throw new SpecException("compositions[" + i + "]." + e.field(), e.getMessage());
            }
        }
        return new NodeConfig(
                nodeId != null ? nodeId : host + "-" + rtmp,
                bindHost != null ? bindHost : "0.0.0.0",
                rtmp,
                httpPort != null ? httpPort : defaultHttpPort,
                host,
                publicHost != null ? publicHost : host,
                controlUrl == null || controlUrl.isBlank() ? null : controlUrl,
                nodeToken == null || nodeToken.isBlank() ? null : nodeToken,
                Boolean.TRUE.equals(openDevMode),
                Boolean.TRUE.equals(takeoverOnRepublish),
                capacity != null && capacity > 0 ? capacity : com.streamloom.media.agent.ProcessLoad.defaultCapacity(),
                List.copyOf(ss), List.copyOf(cs),
                corsAllowedOrigins == null ? List.of()
                        : corsAllowedOrigins.stream().map(String::strip).filter(o -> !o.isEmpty()).toList(),
                checkedPlaybackKey(ss, cs));
    }

    /** This config with {@code token} as its node token (a standalone node's generated one). */
    public NodeConfig withNodeToken(String token) {
        return new NodeConfig(nodeId, bindHost, rtmpPort, httpPort, advertiseHost, publicHost, controlUrl, token,
                openDevMode, takeoverOnRepublish, capacity, streams, compositions, corsAllowedOrigins, playbackKey);
    }

    /**
     * The playback key, refused when it could be guessed; a standalone node with a signed output needs one, or
     * nobody could watch that output.
     */
    private String checkedPlaybackKey(List<KeyedStream> ss, List<CompositionSpec> cs) {
        String key = playbackKey == null || playbackKey.isBlank() ? null : playbackKey;
        if (key != null) {
            TokenPolicy.problem("playbackKey (STREAMLOOM_PLAYBACK_KEY)", key).ifPresent(problem -> {
                throw new SpecException("playbackKey", problem);
            });
        } else if (standaloneWithSignedOutput(ss, cs)) {
            throw new SpecException("playbackKey", "is required when an output has \"playback\": \"signed\" "
                    + "(a random value, e.g. openssl rand -base64 32)");
        }
        return key;
    }

    private boolean standaloneWithSignedOutput(List<KeyedStream> ss, List<CompositionSpec> cs) {
        boolean signed = ss.stream().anyMatch(k -> k.spec().output().signed())
                || cs.stream().anyMatch(c -> c.output().signed());
        return signed && (controlUrl == null || controlUrl.isBlank());
    }

    public boolean standalone() {
        return controlUrl == null;
    }

    /** The playback keys this standalone node accepts: its configured key, if any. */
    public List<String> playbackKeys() {
        return playbackKey == null ? List.of() : List.of(playbackKey);
    }

    /** rtmp://publicHost:port/live, what OBS calls the server. */
    public String ingestUrl() {
        return "rtmp://" + publicHost + ":" + rtmpPort + "/live";
    }

    public String playbackUrl(String name) {
        return "http://" + publicHost + ":" + httpPort + "/hls/" + name + "/index.m3u8";
    }

    /** rtmp:// and http:// base URLs at the advertised host, for the heartbeat. */
    public String advertisedRtmpUrl() {
        return "rtmp://" + advertiseHost + ":" + rtmpPort;
    }

    public String advertisedHttpUrl() {
        return "http://" + advertiseHost + ":" + httpPort;
    }

    private static String or(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    private static Integer intOr(String a, Integer b) {
        return a != null && !a.isBlank() ? Integer.valueOf(a.trim()) : b;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
